/* fixtures.h: reference figures the unit tests share. */
#ifndef HAFEN_TEST_FIXTURES_H
#define HAFEN_TEST_FIXTURES_H

#include "hafen/unit.h"

/* Schleswig-Holstein's 15 Kreise and kreisfreie Städte (AGS), with their
 * population at 31.12.2019 (Statistikamt Nord; total 2,903,773). */
static const struct {
	const char *code, *name;
	hf_unit_kind kind;
	long population;
} sh15[15] = {
	{"01001000", "Flensburg", HF_UNIT_KREISFREIE_STADT, 90164},
	{"01002000", "Kiel", HF_UNIT_KREISFREIE_STADT, 246794},
	{"01003000", "Lübeck", HF_UNIT_KREISFREIE_STADT, 216530},
	{"01004000", "Neumünster", HF_UNIT_KREISFREIE_STADT, 80196},
	{"01051", "Dithmarschen", HF_UNIT_KREIS, 133193},
	{"01053", "Herzogtum Lauenburg", HF_UNIT_KREIS, 198019},
	{"01054", "Nordfriesland", HF_UNIT_KREIS, 165951},
	{"01055", "Ostholstein", HF_UNIT_KREIS, 200539},
	{"01056", "Pinneberg", HF_UNIT_KREIS, 316103},
	{"01057", "Plön", HF_UNIT_KREIS, 128686},
	{"01058", "Rendsburg-Eckernförde", HF_UNIT_KREIS, 274098},
	{"01059", "Schleswig-Flensburg", HF_UNIT_KREIS, 201156},
	{"01060", "Segeberg", HF_UNIT_KREIS, 277175},
	{"01061", "Steinburg", HF_UNIT_KREIS, 131013},
	{"01062", "Stormarn", HF_UNIT_KREIS, 244156},
};

#endif
