/*
 * mint-sessions: signed-in sessions for the benchmark's seeded users
 * without 1,000 password sign-ins (each an argon2id hash, one at a time).
 * It uses the server's own crypto (src/crypto) and secret key, so the
 * tokens are exactly what a sign-in would have made: for each user id on
 * standard input it prints "user_id<TAB>token<TAB>token_hash<TAB>csrf";
 * the harness inserts the hashes into sessions and gives wrk the tokens.
 *
 *   mint-sessions SECRET_KEY_FILE < user_ids
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "crypto/crypto.h"

int main(int argc, char **argv)
{
	char err[256], token[CR_TOKEN_CHARS], hash[CR_HASH_HEX],
		csrf[CR_HASH_HEX];
	long id;

	if (argc != 2) {
		fprintf(stderr,
			"usage: mint-sessions SECRET_KEY_FILE < user_ids\n");
		return 2;
	}
	if (sodium_init() < 0 || cr_init(argv[1], err, sizeof(err)) != 0) {
		fprintf(stderr, "mint-sessions: %s\n", err);
		return 1;
	}
	while (scanf("%ld", &id) == 1) {
		cr_random_token(token);
		cr_keyed_hash("session", token, strlen(token), hash);
		cr_keyed_hash("csrf", token, strlen(token), csrf);
		printf("%ld\t%s\t%s\t%s\n", id, token, hash, csrf);
	}
	return 0;
}
