// The one class of expected, human-fixable errors (a malformed file, a bad flag, a held lock): the CLI
// prints its message without a stack trace and exits with code 2. Checked with instanceof, nothing else.
export class UserError extends Error {
  override name = 'UserError';
}
