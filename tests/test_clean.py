from eventscribe.clean import article_blocks, is_boilerplate


def test_page_furniture_is_boilerplate():
    for line in ("Photo of author", "Leave a comment", "Share on Facebook", "Read more: Police fire on crowd",
                 "We use cookies to improve your experience.", "Advertisement", "© 2024 Daily Planet"):
        assert is_boilerplate(line), line


def test_news_sentences_are_kept():
    for line in ("The US struck 85 targets in Iraq and Syria.",
                 "Police said the attackers left a comment on the wall before fleeing the scene of the bombing.",
                 "Share prices fell after the attack."):
        assert not is_boilerplate(line), line


def test_blocks_point_into_the_original_text():
    text = "Headline without a stop\n\nPhoto of author\n  Troops shelled the town on Monday.  \nLeave a comment\n"
    blocks = article_blocks(text)
    assert [text[b.start:b.end] for b in blocks] == ["Headline without a stop", "Troops shelled the town on Monday."]


def test_hard_wrapped_lines_join_into_one_paragraph():
    text = ("Soldiers opened fire on a crowd of farmers who had blocked the\n"
            "highway near the town, witnesses said on Monday.\nPhoto of author\nShort headline\nNext line.")
    blocks = article_blocks(text)
    assert text[blocks[0].start:blocks[0].end].endswith("witnesses said on Monday.")
    assert [text[b.start:b.end] for b in blocks[1:]] == ["Short headline", "Next line."]


def test_a_wrapped_line_starting_with_by_is_not_a_byline():
    assert is_boilerplate("By Amina Yusuf")
    assert not is_boilerplate("by armed gangs.")
    text = ("Two dozen worshippers were kidnapped from a church in a village on Sunday, in a region plagued\n"
            "by armed gangs.\n")
    assert len(article_blocks(text)) == 1 and article_blocks(text)[0].end == len(text) - 1


def test_a_bracketed_link_to_another_story_is_boilerplate():
    assert is_boilerplate("[Army shells rebel-held town as talks stall]")
    assert not is_boilerplate("The army [which had withdrawn in May] shelled the town on Monday.")
