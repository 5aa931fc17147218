import { getJson } from '../api/client.ts';

/** Redaction counters of one service, or of all services together. */
export interface RedactionCounters {
  spans: number;
  logRecords: number;
  metricPoints: number;
  /** Values replaced by a redaction marker, by detector name. */
  byDetector: Record<string, number>;
  deniedAttributes: number;
  pseudonymizedValues: number;
  droppedContent: number;
  hashedContent: number;
  truncatedContent: number;
}

/** `GET /api/v1/privacy/stats`: the caller's project's counters since the server started. */
export interface PrivacyStatsResponse {
  /** RFC 3339 time when counting started. */
  since: string;
  totals: RedactionCounters;
  services: (RedactionCounters & { service: string })[];
}

export function fetchPrivacyStats(signal: AbortSignal): Promise<PrivacyStatsResponse> {
  return getJson('api/v1/privacy/stats', signal);
}
