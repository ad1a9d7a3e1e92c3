// What Swift can't call itself: prctl is variadic, and the closefrom file action is a GNU
// extension its Glibc module doesn't declare. Linux only, as the argon2 workers are.
#define _GNU_SOURCE
#include "process_control.h"

#if defined(__linux__)
#include <sys/prctl.h>

int auth_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0); }

int auth_set_process_name(const char *name) { return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }

int auth_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
#endif
