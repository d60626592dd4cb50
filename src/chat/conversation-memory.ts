import type { ConversationTurn } from '../core/answer-engine.js';

export interface ConversationMemoryOptions {
  /** Turns kept per conversation; older ones are forgotten first. */
  maxTurns?: number;
  /** Conversations kept at once; the least recently used is forgotten first. */
  maxConversations?: number;
  /** A conversation untouched for this long is forgotten. */
  expireAfterMs?: number;
  /** Current time in milliseconds; injectable so tests need not wait an hour. */
  now?: () => number;
}

interface Conversation {
  turns: ConversationTurn[];
  lastUsedAt: number;
}

/**
 * Server-side memory of recent turns per conversation, so follow-up questions can be
 * answered. Bounded in every direction (turns, conversations, age) because the web
 * server is long-running and anybody can start a conversation.
 */
export class ConversationMemory {
  readonly maxTurns: number;
  readonly maxConversations: number;
  readonly expireAfterMs: number;
  private readonly now: () => number;
  /** Map iteration order is insertion order: re-inserting on use makes it an LRU list. */
  private readonly conversations = new Map<string, Conversation>();

  constructor(options: ConversationMemoryOptions = {}) {
    this.maxTurns = options.maxTurns ?? 6;
    this.maxConversations = options.maxConversations ?? 1000;
    this.expireAfterMs = options.expireAfterMs ?? 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Earlier turns of a conversation, oldest first; empty when unknown or expired. */
  history(key: string): ConversationTurn[] {
    const conversation = this.touch(key);
    return conversation ? conversation.turns.map((turn) => ({ ...turn })) : [];
  }

  /** Appends a turn, forgetting the oldest turns and conversations beyond the bounds. */
  remember(key: string, turn: ConversationTurn): void {
    const conversation = this.touch(key) ?? { turns: [], lastUsedAt: this.now() };
    conversation.turns.push({ question: turn.question, answer: turn.answer });
    if (conversation.turns.length > this.maxTurns) conversation.turns.splice(0, conversation.turns.length - this.maxTurns);
    this.conversations.set(key, conversation);
    this.evict();
  }

  forget(key: string): void {
    this.conversations.delete(key);
  }

  /** Conversations currently held, expired ones excluded. */
  get size(): number {
    this.evict();
    return this.conversations.size;
  }

  private touch(key: string): Conversation | undefined {
    const conversation = this.conversations.get(key);
    if (!conversation) return undefined;
    this.conversations.delete(key);
    if (this.isExpired(conversation)) return undefined;
    conversation.lastUsedAt = this.now();
    this.conversations.set(key, conversation);
    return conversation;
  }

  private isExpired(conversation: Conversation): boolean {
    return this.now() - conversation.lastUsedAt >= this.expireAfterMs;
  }

  private evict(): void {
    for (const [key, conversation] of this.conversations) {
      // Oldest first: once one is fresh and the map is within bounds, the rest are too.
      if (this.conversations.size > this.maxConversations || this.isExpired(conversation)) this.conversations.delete(key);
      else break;
    }
  }
}
