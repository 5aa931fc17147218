/** Returns the integer of `--name=value`, or `fallback` when absent; throws when it is not from 1 to `max`. */
export function readIntArg(name: string, fallback: number, max: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = raw === undefined ? fallback : Number(raw.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`--${name} must be an integer from 1 to ${max}, got ${raw}`);
  return value;
}
