/** An invalid option passed to the SDK in code; the message names the option, the value and the fix. */
export class FoghornConfigError extends Error {
  readonly code = 'FOGHORN_INVALID_OPTION';
  override readonly name = 'FoghornConfigError';
}
