import { describe, expect, it } from 'vitest';
import { snappyCompress } from '../../src/exports/snappy.ts';

/** A snappy block decoder written from the format description, to check the compressor alone. */
function snappyDecompress(block: Uint8Array): Uint8Array {
  let position = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = block[position++]!;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const output = new Uint8Array(length);
  let written = 0;
  while (position < block.length) {
    const tag = block[position++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let literalLength = (tag >>> 2) + 1;
      if (literalLength > 60) {
        const extraBytes = literalLength - 60;
        literalLength = 1;
        for (let index = 0; index < extraBytes; index++)
          literalLength += block[position++]! * 256 ** index;
      }
      output.set(block.subarray(position, position + literalLength), written);
      position += literalLength;
      written += literalLength;
      continue;
    }
    let copyLength: number;
    let offset: number;
    if (kind === 1) {
      copyLength = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | block[position++]!;
    } else if (kind === 2) {
      copyLength = (tag >>> 2) + 1;
      offset = block[position]! | (block[position + 1]! << 8);
      position += 2;
    } else {
      throw new Error('4-byte offsets are not produced by the compressor');
    }
    if (offset === 0 || offset > written) throw new Error(`invalid offset ${offset} at ${written}`);
    for (let index = 0; index < copyLength; index++, written++)
      output[written] = output[written - offset]!;
  }
  if (written !== length) throw new Error(`decoded ${written} bytes, header says ${length}`);
  return output;
}

function pseudoRandomBytes(count: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(count);
  let state = seed;
  for (let index = 0; index < count; index++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const encoder = new TextEncoder();
const labelsText = Array.from(
  { length: 3000 },
  (_, index) => `foghorn_llm_tokens_total{model="gpt-4o",tenant_id="t${index % 37}"} ${index}\n`,
).join('');

describe('snappy block compressor', () => {
  const cases: [string, Uint8Array][] = [
    ['empty input', new Uint8Array(0)],
    ['one byte', Uint8Array.of(42)],
    ['short text', encoder.encode('abcabcabcabcabcabc')],
    ['one repeated byte', new Uint8Array(200_000).fill(7)],
    ['random bytes', pseudoRandomBytes(150_000, 3)],
    ['label-like text over several blocks', encoder.encode(labelsText)],
  ];

  for (const [name, input] of cases) {
    it(`round trip: ${name}`, () => {
      const compressed = snappyCompress(input);
      expect(Buffer.from(snappyDecompress(compressed)).equals(Buffer.from(input))).toBe(true);
    });
  }

  it('repetitive text shrinks', () => {
    const input = encoder.encode(labelsText);
    expect(input.length).toBeGreaterThan(65_536 * 2);
    expect(snappyCompress(input).length).toBeLessThan(input.length / 4);
  });

  it('long literal length bytes', () => {
    const input = pseudoRandomBytes(70_000, 9);
    const compressed = snappyCompress(input);
    // The first block of random bytes has no match, so it is one literal of 65,536 bytes:
    // after the 3-byte length preamble, tag 61 says the length minus one follows in two bytes.
    expect(compressed[3]).toBe(61 << 2);
    expect([compressed[4], compressed[5]]).toEqual([0xff, 0xff]);
  });
});
