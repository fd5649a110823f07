"""Benchmark the gazetteer: load time (fresh build and from cache) and find()/resolve() speed.

    .venv/bin/python bench/geo_bench.py

Prints mentions/second and milliseconds per ~600-word article.  The article is
our own invented news text.
"""

from __future__ import annotations

import time

from eventscribe import geo

ARTICLE = """\
KYIV, March 3 -- Russian drones and missiles struck Kharkiv, Odesa and Zaporizhzhia overnight,
Ukrainian officials said on Tuesday, while the governor of Kherson region reported artillery fire
on villages along the Dnipro river. In Moscow, the defence ministry said its troops had captured a
settlement west of Donetsk and repelled attacks near Bakhmut. President Volodymyr Zelensky, speaking
in Kyiv, urged partners in Washington, London, Paris and Berlin to speed up deliveries of air defence
systems. NATO foreign ministers were due to meet in Brussels later in the week.

In the Middle East, negotiators in Cairo and Doha said talks on a ceasefire for Gaza had stalled.
Israeli strikes hit Rafah and Khan Younis, the Gaza health ministry said, and raids continued in
Jenin and Nablus in the West Bank. Iran-backed groups in Iraq and Syria claimed drone attacks on
bases hosting US forces near Deir ez-Zor and in Erbil. Lebanon's army said it had deployed along
the border after exchanges of fire near Tyre and Nabatieh.

In Africa, fighting between the army and the Rapid Support Forces spread around El Fasher, the
capital of North Darfur, and in Omdurman, across the Nile from Khartoum. Aid agencies in Port Sudan
said convoys from Chad were delayed. In the Democratic Republic of Congo, rebels advanced towards
Goma in North Kivu, and Rwanda denied supporting them. In Mali, an attack near Timbuktu killed
soldiers, while in Burkina Faso and Niger juntas announced new security measures. In Nigeria,
gunmen abducted students in Kaduna state, and police in Lagos broke up a protest over fuel prices.

Elsewhere, protesters marched in Caracas and Valencia, Venezuela, against the government, and
students in Santiago and Buenos Aires demonstrated over tuition. In Asia, monsoon floods hit
Karachi and Hyderabad in Pakistan, while India reported clashes in Manipur. In Myanmar, resistance
forces took a town in Rakhine State. Police in Dhaka detained opposition leaders. Farmers blocked
roads around Valencia and Córdoba in Spain, and unions in Birmingham, England, announced strikes.
Voters in Atlanta, Georgia, queued for hours, and wildfires burned in California and Texas.
"""


def main() -> None:
    t0 = time.process_time()
    fresh = geo.Gazetteer(cache=False)
    build = time.process_time() - t0
    geo.Gazetteer()  # make sure the disk cache exists
    t0 = time.process_time()
    gaz = geo.Gazetteer()  # from the disk cache
    cached = time.process_time() - t0
    words = len(ARTICLE.split())
    print(f"entries: {len(fresh._entries)}  index keys: {len(fresh._index)}")
    print(f"load (CPU): fresh build {build:.2f} s, from cache {cached:.2f} s")

    mentions = gaz.find(ARTICLE)
    print(f"article: {words} words, {len(mentions)} mentions")
    for m in gaz.resolve_all(ARTICLE):
        print(f"  {m.span.text:22} -> {m.name}, {m.admin1 or '-'}, {m.country} [{m.precision}]")

    reps = 300
    # CPU time, so that other processes on a shared machine do not skew the figures.
    t0 = time.process_time()
    for _ in range(reps):
        n = len(gaz.find(ARTICLE))
    dt = (time.process_time() - t0) / reps
    print(f"find(): {dt * 1000:.2f} ms CPU per article, {n / dt:,.0f} mentions/s, {words / dt:,.0f} words/s")

    t0 = time.process_time()
    for _ in range(reps):
        gaz.resolve_all(ARTICLE)
    dt = (time.process_time() - t0) / reps
    print(f"resolve_all(): {dt * 1000:.2f} ms CPU per article, {n / dt:,.0f} mentions/s")


if __name__ == "__main__":
    main()
