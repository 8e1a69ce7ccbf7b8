// turnctl's commands, one function each; cli.cc holds the table that maps
// "GROUP VERB" to them and checks operands and options before calling.
// Each returns the exit code; errors are thrown (db::Error, UsageError).
#pragma once

#include "turnd/ctl/context.h"

namespace turnd::ctl {

int db_migrate(Context& ctx);
int db_status(Context& ctx);
int db_purge(Context& ctx);

int room_create(Context& ctx);
int room_list(Context& ctx);
int room_show(Context& ctx);
int room_delete(Context& ctx);
int room_set_code(Context& ctx);
int room_verify_code(Context& ctx);

int user_add(Context& ctx);
int user_delete(Context& ctx);
int user_list(Context& ctx);

int secret_add(Context& ctx);
int secret_list(Context& ctx);
int secret_delete(Context& ctx);

int report_list(Context& ctx);
int report_run(Context& ctx);  // the report named by the second word

}  // namespace turnd::ctl
