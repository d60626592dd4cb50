/**
 * Whether the service can answer questions now (index opened, models loaded), as shown
 * by `GET /readyz`. Liveness (`GET /healthz`) only says the process is running.
 */
export interface ReadinessReport {
  /** True when every check passed and questions can be answered. */
  ready: boolean;
  /** One entry per dependency, keyed by a short name (`index`, `embedder`, `model`). */
  checks: Record<string, ReadinessCheck>;
}

export interface ReadinessCheck {
  ok: boolean;
  /** One human-readable line: what was found, or what is wrong. */
  detail: string;
}
