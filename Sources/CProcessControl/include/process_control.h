#ifndef AUTH_PROCESS_CONTROL_H
#define AUTH_PROCESS_CONTROL_H

#include <spawn.h>

/// prctl(PR_SET_PDEATHSIG): `signal` when the thread that spawned this process ends.
int auth_set_parent_death_signal(int signal);

/// prctl(PR_SET_NAME): the name ps and top show (at most 15 bytes).
int auth_set_process_name(const char *name);

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `lowest` on.
int auth_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
