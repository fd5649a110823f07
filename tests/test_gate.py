"""The document gate: non-English and non-political pages give no events; news still does.

Every text here is written by us.
"""

import pytest

from eventscribe.gate import assess, detect_language, political_news
from eventscribe.model import Document
from eventscribe.pipeline import Pipeline, extract_text

RECIPE = """Lemon and poppy seed loaf

This loaf is the cake I bake most often: it takes ten minutes to mix and the whole kitchen
smells of lemon while it is in the oven. Preheat the oven to 180C and butter a loaf tin.

Ingredients: 200 grams of flour, 150 grams of sugar, two eggs, 100 ml of milk, the zest of two
lemons, a tablespoon of poppy seeds and a teaspoon of baking powder.

Beat the butter and sugar until pale, then add the eggs one at a time. Fold in the flour, the
milk and the zest, and stir in the poppy seeds. Pour the batter into the tin and bake for 45
minutes. Let it cool before you attack it with a knife, and serve with a spoonful of cream.
If you want to beat the crowds at the bake sale, make two: they freeze well. My family always
demands a second slice, and this recipe meets every request I get for a quick dessert.
"""

MATCH_REPORT = """Harbourside beat Millbrook 3-1 to go top of the league

Harbourside came from behind to beat Millbrook 3-1 on Saturday and move to the top of the
league table with four matches of the season left.

Millbrook took the lead after ten minutes when their striker fired a shot past the goalkeeper
from the edge of the box. Harbourside's attack struggled to break down a deep defence until
the break, when the coach changed his formation and sent on two wingers.

The home side equalised with a header from a corner, and their captain struck twice in the
last quarter of an hour. "We invaded their half and never stopped pushing," the coach told
reporters after the match. "The players showed real fight today."

The two teams meet again in the cup semi-final next month, and the fans are already asking
for tickets.
"""

PHONE_REVIEW = """Review: the Lumo 8 is the best mid-range phone of the year

The Lumo 8 costs less than half the price of the flagship phones and offers most of what
they do. The screen is bright, the battery lasts two days and the camera holds its own in
daylight, although it struggles at night.

The phone ships with the latest Android version and the maker supports it with updates for
four years. Apps open quickly, and the processor only heats up when you play demanding games.
Some users will miss the headphone jack, and the charger is sold separately.

Our verdict: if you want a phone that does everything well without a flagship price, buy it.
The app store deployed an update that kills background apps too aggressively, but a setting
fixes that. Peak demand for the phone is expected before the holidays, so order early.
"""

GERMAN_NEWS = """Regierung beschließt neues Gesetz zur Energiepolitik

Die Bundesregierung hat am Mittwoch in Berlin ein neues Gesetz zur Förderung erneuerbarer
Energien beschlossen. Der Minister sagte, die Maßnahmen seien notwendig, um die Klimaziele zu
erreichen. Die Opposition kritisierte den Entwurf scharf und kündigte Proteste an. Tausende
Menschen demonstrierten vor dem Parlament gegen die Pläne der Regierung. Die Polizei nahm zwei
Demonstranten fest, nachdem es zu Zusammenstößen gekommen war.
"""

SHORT_NEWS = [
    ("Police arrested two men in Paris on Monday.", "COERCE"),
    ("Rebels attacked an army base in the north of the country, killing five soldiers.", "ASSAULT"),
    ("Thousands of protesters marched through the capital on Sunday.", "PROTEST"),
]

HEADLINES = ["Rebels seize town", "Biden meets Xi", "Haiti gangs attack Port-au-Prince suburb",
             "Ortega jails opposition leaders", "Macron, Scholz in Paris talks", "Nkurunziza sworn in"]


def _asserted(text: str) -> list:
    return [e for e in extract_text(text) if not e.negated and not e.hypothetical]


@pytest.mark.parametrize("text", [RECIPE, MATCH_REPORT, PHONE_REVIEW, GERMAN_NEWS],
                         ids=["recipe", "match-report", "phone-review", "german-news"])
def test_pages_that_are_not_english_political_news_give_no_events(text):
    assert _asserted(text) == []


@pytest.mark.parametrize("text,type_", SHORT_NEWS)
def test_short_english_news_still_gives_its_event(text, type_):
    assert type_ in {e.type for e in _asserted(text)}


@pytest.mark.parametrize("headline", HEADLINES)
def test_short_english_headlines_are_english(headline):
    assert detect_language(headline) == "en"


def test_languages_of_longer_texts():
    assert detect_language(GERMAN_NEWS) == "de"
    assert detect_language(RECIPE) == "en"
    french = ("Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs, "
              "après plusieurs semaines de manifestations dans les campagnes et devant les préfectures.")
    assert detect_language(french) == "fr"


def test_english_text_quoting_another_language_stays_english():
    text = ("The minister told parliament on Tuesday that the law would pass. \"Wir schaffen das,\" "
            "she said, quoting a former chancellor, before opposition lawmakers walked out of the chamber.")
    assert detect_language(text) == "en"


def test_document_result_says_why_it_gives_no_events():
    docs = [Document(id="de", text=GERMAN_NEWS), Document(id="recipe", text=RECIPE),
            Document(id="news", text=SHORT_NEWS[0][0])]
    german, recipe, news = Pipeline().extract(docs)
    assert german.language == "de" and "English" in german.skipped and german.events == []
    assert recipe.language == "en" and "not political" in recipe.skipped and recipe.events == []
    assert news.language == "en" and news.skipped is None and news.events


def test_political_vocabulary_outweighs_domain_vocabulary():
    # a company story that names the government and a strike is still news
    news = ("The government ordered the national airline to suspend flights on Monday after "
            "pilots went on strike over pay, and police detained two union leaders outside the "
            "ministry, officials said. The opposition accused the minister of breaking the law.")
    assert political_news(news)[0]
    assert not political_news(PHONE_REVIEW)[0]
    assert not political_news(RECIPE)[0]


def test_a_sports_report_with_violence_passes_and_is_flagged_as_sport():
    text = MATCH_REPORT + ("\nAfter the final whistle police fired tear gas at rival supporters who "
                           "clashed outside the stadium, and officers arrested twelve people, police said. "
                           "Several fans were wounded in the violence, and the interior minister "
                           "condemned the riot and said those arrested would be prosecuted.\n")
    decision = assess(text)
    assert decision.passed and decision.sports


def test_cli_prints_one_line_for_a_document_not_in_english(tmp_path):
    from typer.testing import CliRunner

    from eventscribe.cli import app

    (tmp_path / "nachricht.txt").write_text(GERMAN_NEWS, encoding="utf-8")
    (tmp_path / "news.txt").write_text(SHORT_NEWS[0][0], encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-f", "jsonl", "-q"])
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(lines) == 1 and "nachricht" in lines[0] and "de" in lines[0] and "English" in lines[0]


def test_a_news_lead_passes_however_long_the_rest_is():
    lead = "Soldiers and police sealed off the town after militants attacked a checkpoint on Friday. "
    padding = "The market reopened and shoppers returned to the stalls selling fruit and cloth. " * 40
    assert political_news(lead + padding)[0]
    assert not political_news("Shoppers bought fruit and cloth at the market on Friday. " + padding)[0]


@pytest.mark.parametrize("note", [
    "On 3 May, nurses staged a demonstration outside the district hospital over months of unpaid salaries, "
    "and the hospital's director met a delegation of them in the afternoon, local papers reported.",
    "A crowd at a cattle market lynched a man they accused of stealing a goat.",
    "On 9 June, unknown men set alight three shops at the market in the early hours. Nobody was hurt.",
    "Turkey has suspended food supplies and flights to Armenia.",
    "The government's spokesman said two dissidents had been detained at the airport.",
])
def test_short_event_notes_pass_the_gate(note):
    from eventscribe.actors import actor_dictionary

    assert assess(note, actor_dictionary().find(note)).passed


def test_a_bilingual_text_is_read_for_its_english_half():
    english = ("The interior ministry said on Monday that police had arrested fourteen people after "
               "protesters blocked the main road into the city and set fire to two buses.")
    french = ("Le ministère de l'Intérieur a annoncé lundi que la police avait arrêté quatorze personnes "
              "après que des manifestants ont bloqué la route principale et incendié deux autobus, "
              "selon un communiqué publié dans la soirée par les autorités de la province.")
    assert detect_language(french + "\n\n" + french + "\n\n" + english) == "en"
    assert detect_language(french + "\n\n" + french) == "fr"


TRADE_STORY = """Capital raises tariffs on imported steel as shares fall

The government of Arvania will raise tariffs on imported steel to 40 percent from next month,
its trade ministry said on Wednesday, a move that sent shares of carmakers and builders lower.

Investors sold stocks across the region after the announcement, and the price of steel rose.
Analysts said companies that depend on imported metal would pass higher prices on to customers.

Its two largest suppliers said they were studying the decision, and one of them said it would
answer with duties on Arvanian farm products. Retailers warned that shoppers would pay more for
cars and appliances, while the shares of the biggest domestic steelmakers rose 5 percent.
"""


def test_a_trade_policy_story_full_of_business_words_is_still_news():
    assert assess(TRADE_STORY).passed
    assert {e.type for e in _asserted(TRADE_STORY)} & {"SANCTION", "THREATEN", "COERCE"}
