/*
 * encode_audio IN.wav OUT CODEC FORMAT - re-encodes speech for the
 * end-to-end tests (there is no ffmpeg command on the test machines; the
 * ffmpeg libraries are).  E.g. encode_audio a.wav a.mp3 libmp3lame mp3.
 */
#include "testaudio.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct samples s = { 0 };
	int r;

	if (argc != 5) {
		fprintf(stderr, "usage: encode_audio IN OUT CODEC FORMAT\n");
		return 2;
	}
	if (ta_load(argv[1], &s)) {
		fprintf(stderr, "encode_audio: cannot read %s\n", argv[1]);
		return 1;
	}
	r = ta_encode(argv[2], &s, argv[3], argv[4]);
	ta_free(&s);
	if (r)
		fprintf(stderr, "encode_audio: cannot encode %s as %s/%s\n", argv[2], argv[3], argv[4]);
	return r ? 1 : 0;
}
