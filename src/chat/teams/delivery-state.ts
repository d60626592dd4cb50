import { describeError } from '../../core/errors.js';

/** How the Teams surface stands, for `GET /readyz`: same shape as the web chat's readiness checks. */
export interface TeamsSurfaceState {
  /** False while the last reply to Teams failed: Teams users get no answers until it recovers. */
  ok: boolean;
  /** One line: endpoint, authentication, and the last delivery. */
  detail: string;
}

/**
 * Teams pushes activities to Docent, so the only sign of a working connection is whether
 * replies reach the Bot Framework connector service. Remembers the last success and failure.
 */
export class DeliveryState {
  private lastDeliveredAt: number | undefined;
  private lastFailure: { at: number; reason: string } | undefined;
  private rejectedRequests = 0;

  constructor(
    private readonly description: string,
    private readonly now: () => number = Date.now,
  ) {}

  delivered(): void {
    this.lastDeliveredAt = this.now();
    this.lastFailure = undefined;
  }

  failed(error: unknown): void {
    this.lastFailure = { at: this.now(), reason: describeError(error) };
  }

  rejected(): void {
    this.rejectedRequests += 1;
  }

  state(): TeamsSurfaceState {
    const parts = [this.description];
    if (this.lastFailure) parts.push(`replies failing since ${new Date(this.lastFailure.at).toISOString()}: ${this.lastFailure.reason}`);
    else if (this.lastDeliveredAt !== undefined) parts.push(`last reply delivered ${new Date(this.lastDeliveredAt).toISOString()}`);
    else parts.push('no replies sent yet');
    if (this.rejectedRequests > 0) parts.push(`${this.rejectedRequests} unauthenticated requests rejected`);
    return { ok: this.lastFailure === undefined, detail: parts.join('; ') };
  }
}
