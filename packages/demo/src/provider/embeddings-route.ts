import type { ServerResponse } from 'node:http';
import type { CallContext } from './call-context.ts';
import type { Wait } from './chat-route.ts';
import { rejection, sendJson } from './http-io.ts';
import { countTokens } from './tokens.ts';

/** OpenAI's text-embedding-3-small returns 1536 dimensions unless the request sets `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 1536;

export interface EmbeddingsRequest {
  model: string;
  input: string | readonly string[];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
}

/** Returns the input texts, or throws a 400 rejection naming the invalid field. */
export function readEmbeddingInputs(body: unknown): string[] {
  const request = body as Partial<EmbeddingsRequest> | null;
  const input = request?.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) {
    return input as string[];
  }
  throw rejection(400, "'input' must be a string or a non-empty array of strings", null);
}

/**
 * Responds to `POST /v1/embeddings`. Each vector hashes the words of its text into
 * buckets and is normalised to length 1, so texts that share words are close
 * under cosine similarity.
 */
export async function answerEmbeddings(
  request: EmbeddingsRequest,
  inputs: readonly string[],
  call: CallContext,
  response: ServerResponse,
  wait: Wait,
): Promise<void> {
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  const base64 = request.encoding_format === 'base64';
  const data = inputs.map((text, index) => {
    const vector = embedText(text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: base64 ? toBase64Float32(vector) : Array.from(vector),
    };
  });
  const promptTokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
  const body = {
    object: 'list',
    data,
    model: call.model.responseModel,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  await wait(call.plan.latencyMs);
  sendJson(response, 200, body, call.headers);
}

/** Computes a bag-of-words hashing embedding. */
export function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = bucketOf(word, dimensions);
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function bucketOf(word: string, dimensions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index += 1) {
    hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193) >>> 0;
  }
  return hash % dimensions;
}

/** Encodes the vector as OpenAI's base64 format does: little-endian float32 values. */
function toBase64Float32(vector: Float32Array): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}
