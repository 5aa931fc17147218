/** Cheap facts about a string, computed in one pass and shared by the detectors' prefilters. */
export interface TextFeatures {
  digitCount: number;
  hasAt: boolean;
  /** A digit, a dot and a digit in a row, as in `10.0`. */
  hasDottedDigits: boolean;
  /** Colons next to a hex digit or another colon, as in `db8:` or `::`. */
  hexColonCount: number;
}

function isHexCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

export function computeTextFeatures(text: string): TextFeatures {
  let digitCount = 0;
  let hasAt = false;
  let hasDottedDigits = false;
  let hexColonCount = 0;
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      digitCount++;
      if (previous === 46 && i >= 2) {
        const beforeDot = text.charCodeAt(i - 2);
        if (beforeDot >= 48 && beforeDot <= 57) hasDottedDigits = true;
      }
    } else if (code === 64) {
      hasAt = true;
    } else if (code === 58 && (previous === 58 || isHexCode(previous))) {
      hexColonCount++;
    }
    previous = code;
  }
  return { digitCount, hasAt, hasDottedDigits, hexColonCount };
}
