/** A command line that cannot be run as typed: printed with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
