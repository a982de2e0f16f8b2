// The one error class for mistakes in the user's input or workspace: its message says what to fix, so the
// CLI prints it without a stack trace and exits 2. Any other error is a bug in the lab (exit 1, with the stack).
import { SpecError, TrainConfigError } from '../core/index.js';

export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The core stays free of agent/ imports, so its two input errors are named here instead of extending UserError. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UserError || error instanceof SpecError || error instanceof TrainConfigError;
}
