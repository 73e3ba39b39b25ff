// What an ingest token may do; shared by the API and the settings page.
// `otlp:write` only sends OTLP telemetry: that token sits in every developer's Claude Code
// settings, so it must not also be able to post CI runs or usage reports (`ingest:write`).
export const TOKEN_SCOPES = ['ingest:write', 'metrics:read', 'otlp:write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
