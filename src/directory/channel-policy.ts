import type { ConversationContext } from '../core/answer-engine.js';
import type { AudienceMode, ChannelSettingsStore } from './channel-settings-store.js';

/** What applies to a question asked in a given place. */
export interface ChannelPolicy {
  /** Only these sources may answer; every source when unset. */
  sourceIds?: string[];
  /** What a shared answer there may use. */
  audience: AudienceMode;
}

/**
 * The restriction and audience mode for where a question was asked: the channel's own
 * setting, else its team's, else the deployment's default. Source restrictions apply to
 * every answer in that place, private ones included (an ephemeral reply in a channel
 * restricted to HR sources still answers from HR sources).
 */
export class ChannelPolicyResolver {
  constructor(
    private readonly store: ChannelSettingsStore,
    private readonly defaults: { defaultAudience: AudienceMode },
  ) {}

  async policyFor(conversation: ConversationContext | undefined): Promise<ChannelPolicy> {
    const setting = conversation ? await this.store.find(conversation) : undefined;
    const policy: ChannelPolicy = { audience: setting?.audience ?? this.defaults.defaultAudience };
    if (setting?.sourceIds) policy.sourceIds = setting.sourceIds;
    return policy;
  }
}
