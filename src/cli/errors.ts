// Exit codes and user-facing errors (SPEC section 1): 0 success, 1 internal error (with the seed
// and point that reproduce it), 2 invalid input printed as FILE:LINE:COL: message.

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INVALID = 2;

/** Bad input from the user: printed without a stack trace, exit 2. */
export class UsageError extends Error {}

/** Stopped by Ctrl-C (SIGINT): 128 + 2, as a shell reports it. */
export const EXIT_INTERRUPTED = 130;

/** The run was interrupted; what it finished is kept for `--resume`. */
export class Interrupted extends Error {}
