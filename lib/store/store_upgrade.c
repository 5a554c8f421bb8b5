/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A store made by an earlier version lacks the columns added since (the
 * certificates' jarm, say): CREATE TABLE IF NOT EXISTS leaves its tables as
 * they are, and the first upsert naming a new column would fail. On open,
 * the backend lists the columns its tables have, and each column of the
 * schema that is missing is added (ALTER TABLE ... ADD COLUMN, NULL in the
 * rows already there), so old databases keep taking rows and answering.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_backend.h"

struct seen {
	bool has[STORE_NTABLES][STORE_MAX_COLUMNS];
};

/* One (table, column) row of the backend's listing. */
static int note_column(void *arg, unsigned ncol, const char *const *v)
{
	struct seen *seen = arg;

	if (ncol < 2 || v[0] == NULL || v[1] == NULL)
		return 0;
	for (unsigned t = 0; t < STORE_NTABLES; t++)
		for (unsigned c = 0; c < store_tables[t].ncol; c++)
			if (strcmp(v[0], store_tables[t].name) == 0 &&
			    strcmp(v[1], store_tables[t].col[c].name) == 0)
				seen->has[t][c] = true;
	return 0;
}

int store_upgrade(const struct store_backend_ops *ops, void *db, char *err, size_t errlen)
{
	struct seen seen;
	char sql[256];
	int rc;

	memset(&seen, 0, sizeof(seen));
	rc = ops->query(db, ops->columns_sql, NULL, 0, note_column, &seen, err, errlen);
	for (unsigned t = 0; rc == 0 && t < STORE_NTABLES; t++)
		for (unsigned c = store_tables[t].nkey; rc == 0 && c < store_tables[t].ncol; c++) {
			const struct store_column *col = &store_tables[t].col[c];
			if (seen.has[t][c])
				continue;
			snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s %s",
				store_tables[t].name, col->name,
				col->type == STORE_INT ? "BIGINT" : "TEXT");
			rc = ops->exec(db, sql, err, errlen);
		}
	return rc;
}
