/**
 * The default alarm pack, written to `<dataDir>/alerts/default.yaml` on first
 * start. docs/alarms.md explains each rule and its detection time; keep both in
 * step when a threshold changes.
 */
export const DEFAULT_PACK_YAML = `# Foghorn's default alarms. Edit this file freely: Foghorn reloads it while running.
# Check it with: foghorn alerts check <this file>
# Severity "page" goes to the pager route, "ticket" to chat (see alerting.yaml).
rules:
  # latency: SLO of 99% of calls per model faster than 8 s, 30-day budget.
  - id: latency-slo-fast-burn
    panel: latency
    kind: slo_burn
    expr: slow_ratio{threshold_ms="8000"} by model
    slo: { objective: 0.99, windows: page }
    min_requests: 20
    keep_firing_for: 5m
    severity: page
    annotations:
      summary: "{{ $labels.model }} burns its latency budget at {{ $value }}x (calls slower than 8 s; pages above {{ $threshold }}x)"
  - id: latency-p95-high
    panel: latency
    expr: latency_p95_ms by model over 10m
    comparator: ">"
    threshold: 15000
    for: 5m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "p95 latency of {{ $labels.model }} is {{ $value }} ms (threshold {{ $threshold }} ms)"
  - id: latency-drift
    panel: latency
    kind: baseline
    expr: latency_p95_ms by model over 15m
    baseline: { over: 24h, compare: ratio }
    comparator: ">"
    threshold: 2
    for: 10m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "p95 latency of {{ $labels.model }} over 15 min is {{ $value }}x its own p95 of the previous 24 h"

  # errors: SLO of 99.5% successful calls per provider, 30-day budget. Grouping by provider
  # makes a provider-wide rate-limit storm one page instead of one per service.
  - id: errors-slo-fast-burn
    panel: errors
    kind: slo_burn
    expr: error_ratio by provider
    slo: { objective: 0.995, windows: page }
    min_requests: 30
    keep_firing_for: 5m
    severity: page
    annotations:
      summary: "calls to {{ $labels.provider }} burn the error budget at {{ $value }}x (pages above {{ $threshold }}x)"
  - id: errors-slo-slow-burn
    panel: errors
    kind: slo_burn
    expr: error_ratio by provider
    slo: { objective: 0.995, windows: ticket }
    min_requests: 100
    severity: ticket
    annotations:
      summary: "calls to {{ $labels.provider }} burn the error budget at {{ $value }}x over days (ticket above {{ $threshold }}x)"
  - id: rate-limit-ratio-high
    panel: errors
    expr: error_ratio{error_type="rate_limit"} over 10m
    comparator: ">"
    threshold: 0.1
    for: 5m
    min_requests: 20
    severity: ticket
    annotations:
      summary: "{{ $value | percent }} of calls hit provider rate limits over 10 min (threshold {{ $threshold | percent }})"

  # cost
  - id: cost-runaway
    panel: cost
    kind: baseline
    expr: cost_usd_per_hour over 1h
    baseline: { over: 24h, compare: ratio }
    comparator: ">"
    threshold: 3
    for: 15m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "cost over the last hour runs at {{ $value }}x the average hourly cost of the previous 24 h"
  - id: unpriced-model-calls
    panel: cost
    expr: unpriced_requests by model over 1h
    comparator: ">"
    threshold: 0
    resolve_threshold: 0
    severity: ticket
    annotations:
      summary: "{{ $value }} calls of {{ $labels.model }} in the last hour have no price; add the model to the price table"

  # cost by tenant
  - id: tenant-cost-runaway
    panel: cost-by-tenant
    kind: baseline
    expr: cost_usd_per_hour by tenant over 1h
    baseline: { over: 24h, compare: ratio }
    comparator: ">"
    threshold: 3
    for: 5m
    min_requests: 10
    keep_firing_for: 10m
    severity: page
    annotations:
      summary: "tenant {{ $labels.tenant }} spends {{ $value }}x its average hourly cost of the previous 24 h"
  # projected_monthly_cost_usd is this UTC month's projection at evaluation time
  # (month-to-date cost plus the trailing 168 h rate for the hours left); the
  # window after "over" does not change it.
  - id: tenant-budget-projection
    panel: cost-by-tenant
    kind: budget
    expr: projected_monthly_cost_usd by tenant over 24h
    comparator: ">"
    threshold: 1
    for: 1h
    severity: ticket
    annotations:
      summary: "tenant {{ $labels.tenant }} is projected to spend {{ $value | percent }} of its monthly budget this calendar month"

  # tokens
  - id: tokens-by-model-spike
    panel: tokens-by-model
    kind: baseline
    expr: tokens_per_hour by model over 1h
    baseline: { over: 24h, compare: ratio }
    comparator: ">"
    threshold: 3
    for: 15m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "{{ $labels.model }} uses {{ $value }}x its average hourly tokens of the previous 24 h"
  - id: tokens-by-feature-spike
    panel: tokens-by-feature
    kind: baseline
    expr: tokens_per_hour by feature over 1h
    baseline: { over: 24h, compare: ratio }
    comparator: ">"
    threshold: 3
    for: 15m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "feature {{ $labels.feature }} uses {{ $value }}x its average hourly tokens of the previous 24 h"

  # quality
  - id: quality-drop
    panel: quality
    kind: baseline
    expr: quality_score_mean{name="helpfulness"} by model over 30m
    baseline: { over: 7d, compare: difference }
    comparator: "<"
    threshold: -0.1
    for: 5m
    min_requests: 10
    keep_firing_for: 10m
    severity: page
    annotations:
      summary: "mean helpfulness of {{ $labels.model }} is {{ $value }} against its 7-day mean (pages below {{ $threshold }})"
  - id: quality-verdict-drift
    panel: quality
    kind: baseline
    expr: quality_category_share{name="verdict",value="bad"} by model over 1h
    baseline: { over: 7d, compare: difference }
    comparator: ">"
    threshold: 0.15
    for: 15m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "the share of bad verdicts for {{ $labels.model }} rose by {{ $value | percent }} against its 7-day share"

  # in-flight requests, time to first token and traffic
  - id: service-no-data
    panel: inflight-ttft
    kind: no_data
    expr: requests by service over 15m
    baseline: { over: 24h }
    min_requests: 100
    for: 5m
    keep_firing_for: 5m
    severity: page
    annotations:
      summary: "{{ $labels.service }} sent no LLM calls for 20 min although it sent at least 100 in the previous 24 h"
  - id: ttft-p95-high
    panel: inflight-ttft
    expr: ttft_p95_ms by model over 10m
    comparator: ">"
    threshold: 5000
    for: 5m
    min_requests: 10
    severity: ticket
    annotations:
      summary: "p95 time to first token of {{ $labels.model }} is {{ $value }} ms (threshold {{ $threshold }} ms)"
  - id: inflight-high
    panel: inflight-ttft
    expr: inflight_requests over 5m
    comparator: ">"
    threshold: 50
    for: 5m
    severity: ticket
    annotations:
      summary: "{{ $value }} calls are in flight on average over 5 min (threshold {{ $threshold }})"
`;
