/** Shown in place of a number that does not exist, such as a percentile of zero calls. */
export const NO_VALUE = '—';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

/** Formats a latency: `850 ms`, `1.24 s`, `2.5 min`. */
export function formatDurationMs(durationMs: number | null | undefined): string {
  if (isMissing(durationMs)) {
    return NO_VALUE;
  }
  if (durationMs < 10) {
    return `${trimZeros(durationMs.toFixed(1))} ms`;
  }
  if (durationMs < 1000) {
    return `${Math.round(durationMs)} ms`;
  }
  if (durationMs < 60_000) {
    return `${trimZeros((durationMs / 1000).toFixed(2))} s`;
  }
  return `${trimZeros((durationMs / 60_000).toFixed(1))} min`;
}

/** Formats US dollars with cents, or with four significant digits below one cent. */
export function formatUsd(costUsd: number | null | undefined): string {
  if (isMissing(costUsd)) {
    return NO_VALUE;
  }
  const sign = costUsd < 0 ? '-' : '';
  const absoluteUsd = Math.abs(costUsd);
  if (absoluteUsd === 0) {
    return '$0.00';
  }
  if (absoluteUsd < 0.01) {
    return `${sign}$${trimZeros(absoluteUsd.toPrecision(2))}`;
  }
  if (absoluteUsd < 10_000) {
    return `${sign}$${absoluteUsd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `${sign}$${integerFormat.format(absoluteUsd)}`;
}

/** Formats a percentage given in percent (not as a ratio): `0.42%`, `12.5%`. */
export function formatPercent(percent: number | null | undefined): string {
  if (isMissing(percent)) {
    return NO_VALUE;
  }
  if (percent === 0) {
    return '0%';
  }
  const absolute = Math.abs(percent);
  let digits = 0;
  if (absolute < 1) {
    digits = 2;
  } else if (absolute < 10) {
    digits = 1;
  }
  return `${trimZeros(percent.toFixed(digits))}%`;
}

/** Formats a count with thousands separators: `12,345`. */
export function formatCount(count: number | null | undefined): string {
  return isMissing(count) ? NO_VALUE : integerFormat.format(count);
}

/** Formats a large count briefly for axes and headlines: `950`, `12.3k`, `4.5M`, `1.2B`. */
export function formatCompact(count: number | null | undefined): string {
  if (isMissing(count)) {
    return NO_VALUE;
  }
  const absolute = Math.abs(count);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (absolute >= size) {
      return `${trimZeros((count / size).toFixed(absolute / size < 100 ? 1 : 0))}${suffix}`;
    }
  }
  return trimZeros(count.toFixed(absolute < 10 && !Number.isInteger(count) ? 1 : 0));
}

/** Removes trailing zeros after a decimal point: `1.50` becomes `1.5`, `2.00` becomes `2`. */
function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}
