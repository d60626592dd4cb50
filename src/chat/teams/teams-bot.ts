import { ActivityTypes, CardFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AnswerEngine, Question } from '../../core/answer-engine.js';
import { describeError } from '../../core/errors.js';
import type { FeedbackRecorder } from '../../core/feedback.js';
import type { ConversationMemory } from '../conversation-memory.js';
import { answerCard, type AnswerCardOptions } from './answer-card.js';
import type { DeliveryState } from './delivery-state.js';
import { ExpiringMap } from '../expiring-map.js';
import { feedbackClick, type FeedbackClick } from './feedback-action.js';
import type { InFlightWork } from './in-flight-work.js';
import { questionText } from './question-text.js';
import type { SurfaceLogger } from './surface-logger.js';
import { audienceUnknownNotice, type AudienceResolver, type TeamsAskerResolver } from './teams-asker.js';
import type { TeamsMembers } from './teams-members.js';
import { conversationMemoryKey, teamsConversation } from './teams-conversation.js';
import {
  apologyText,
  emptyQuestionText,
  feedbackFailedText,
  feedbackThanksText,
  maximumQuestionCharacters,
  questionTooLongText,
  restartingText,
  welcomeText,
} from './teams-messages.js';

export interface TeamsBotOptions {
  /** Answers the HTTP request that carried this activity (200) while its turn goes on. */
  acknowledge: (activity: object) => void;
  engine: AnswerEngine;
  feedback?: FeedbackRecorder;
  memory: ConversationMemory;
  askers: TeamsAskerResolver;
  /** Decides the audience of answers in group chats and channels; without it they use public documents only. */
  resolveAudience?: AudienceResolver;
  members: TeamsMembers;
  work: InFlightWork;
  delivery: DeliveryState;
  logger: SurfaceLogger;
  card: AnswerCardOptions;
  /** Teams shows a typing indicator for about three seconds; it is sent again this often while an answer is being written. */
  typingIntervalMs: number;
}

/**
 * The bot's turn logic: translates Teams activities into questions and feedback for the
 * answer engine, and answers into Adaptive Cards. Nothing is decided here that the web
 * chat or Slack would decide differently.
 *
 * A question is acknowledged at once (typing indicator, then HTTP 200) while its turn
 * goes on to answer it: the Bot Framework gives a bot 15 seconds to answer the HTTP
 * request and counts a slower one as failed, while a language model may take longer.
 * Keeping the turn
 * rather than continuing the conversation proactively keeps its connector client, its
 * reply chain and its channel data, and costs half the connector setup per question.
 */
export class TeamsBot {
  /** Activity ids already taken on, so that a redelivered activity is never answered twice. */
  private readonly handled = new ExpiringMap<true>({ maxEntries: 10_000, expireAfterMs: 10 * 60 * 1000 });

  constructor(private readonly options: TeamsBotOptions) {}

  async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    switch (activity.type) {
      case ActivityTypes.Message:
        return this.onMessage(context);
      case ActivityTypes.Invoke:
        return this.onInvoke(context);
      case ActivityTypes.ConversationUpdate:
        return this.onConversationUpdate(context);
      default:
        // Typing, reactions, edits, deletions, installation updates: nothing to answer.
        return;
    }
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.from?.id && activity.from.id === activity.recipient?.id) return;
    const duplicateKey = `${activity.conversation?.id}\u0000${activity.id}`;
    if (activity.id && this.handled.has(duplicateKey)) return;
    if (activity.id) this.handled.set(duplicateKey, true);

    const click = feedbackClick(activity);
    if (click !== undefined) {
      // Action.Submit has no reply channel of its own; posting "thanks" would notify the whole channel.
      if (click !== 'invalid') await this.recordFeedback(context, click).catch(() => undefined);
      return;
    }

    const text = questionText(activity);
    if (text.length === 0) {
      // A message with only an attachment or only the @mention.
      await this.send(context, { type: ActivityTypes.Message, text: emptyQuestionText });
      return;
    }
    if (text.length > maximumQuestionCharacters) {
      await this.send(context, { type: ActivityTypes.Message, text: questionTooLongText });
      return;
    }

    // Answering starts while the indicator is on its way; the card waits for it, so typing
    // always comes first. A failed indicator is recorded by `send`; the answer still tries.
    const typing = this.send(context, { type: ActivityTypes.Typing }).catch(() => undefined);
    const answering = this.options.work.run((signal) => this.answer(context, text, typing, signal));
    if (!answering) {
      await this.send(context, { type: ActivityTypes.Message, text: restartingText }).catch(() => undefined);
      return;
    }
    // The HTTP request is answered now; the turn, and its context, live on until the card is posted.
    this.options.acknowledge(context.activity);
    await answering;
  }

  /** Resolves the asker, asks the engine, posts the card, or apologises. */
  private async answer(context: TurnContext, text: string, firstTyping: Promise<void>, signal: AbortSignal): Promise<void> {
    const question = context.activity;
    const stopTyping = this.keepTyping(context, firstTyping);
    try {
      const { engine, memory, askers, card } = this.options;
      const { asker, accessNotice } = await askers.resolve(context, signal);
      const memoryKey = conversationMemoryKey(question);
      const request: Question = { text, asker, conversation: teamsConversation(question), history: memory.history(memoryKey) };
      const notices = accessNotice ? [accessNotice] : [];
      if (request.conversation!.visibility === 'shared') notices.push(...(await this.audienceOf(context, request, signal)));
      if (notices.length > 0) request.accessNotice = notices.join(' ');
      const answer = await engine.ask(request, { signal });
      await stopTyping();
      await this.send(context, { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(answerCard(answer, card))] });
      memory.remember(memoryKey, { question: text, answer: answer.text });
    } catch (error) {
      await stopTyping();
      this.options.logger.error({ conversationId: question.conversation?.id, error: describeError(error) }, 'answering a Teams question failed');
      // The apology may fail too (Teams unreachable); `send` has recorded that for /readyz.
      await this.send(context, { type: ActivityTypes.Message, text: apologyText(error) }).catch(() => undefined);
    }
  }

  /** Sets the question's audience when a resolver is configured; returns what the asker should be told. */
  private async audienceOf(context: TurnContext, request: Question, signal: AbortSignal): Promise<string[]> {
    const { resolveAudience, members, logger } = this.options;
    if (!resolveAudience) return [];
    try {
      const resolved = await resolveAudience({ conversation: request.conversation!, listMembers: (maximum) => members.list(context, maximum), signal });
      request.audience = resolved.audience;
      // The channel's or team's source restriction, set by an admin with `docent channels set`.
      if (resolved.sourceIds) request.sourceIds = resolved.sourceIds;
      return resolved.accessNotice ? [resolved.accessNotice] : [];
    } catch (error) {
      // No audience: public documents only, which never shows anyone more than they may read.
      logger.warn({ conversationId: context.activity.conversation?.id, error: describeError(error) }, 'could not determine who reads this answer');
      return [audienceUnknownNotice];
    }
  }

  /**
   * Re-sends the typing indicator until stopped; the returned function waits for the first
   * indicator and any send in progress, so that typing never follows the answer.
   */
  private keepTyping(context: TurnContext, firstTyping: Promise<void>): () => Promise<void> {
    let stopped = false;
    let sending: Promise<unknown> = firstTyping;
    const timer = setInterval(() => {
      sending = sending.then(() => (stopped ? undefined : this.send(context, { type: ActivityTypes.Typing }).catch(() => undefined)));
    }, this.options.typingIntervalMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await sending;
    };
  }

  private async onInvoke(context: TurnContext): Promise<void> {
    const click = feedbackClick(context.activity);
    // Other invokes (message extensions, task modules) are features the manifest does not declare: 501 by default.
    if (click === undefined) return;
    if (click === 'invalid') {
      await this.invokeResponse(context, 400, { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'This feedback button is not from a Docent answer.' } });
      return;
    }
    try {
      await this.recordFeedback(context, click);
      await this.invokeResponse(context, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: feedbackThanksText });
    } catch {
      await this.invokeResponse(context, 500, { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message: feedbackFailedText } });
    }
  }

  private async recordFeedback(context: TurnContext, click: FeedbackClick): Promise<void> {
    const { feedback, logger } = this.options;
    if (!feedback) {
      logger.warn({ answerId: click.answerId }, 'feedback received but no feedback recorder is configured');
      return;
    }
    try {
      await feedback.recordFeedback({ answerId: click.answerId, asker: this.options.askers.basic(context).asker, rating: click.rating, platform: 'teams' });
    } catch (error) {
      logger.error({ answerId: click.answerId, error: describeError(error) }, 'recording Teams feedback failed');
      throw error;
    }
  }

  private async invokeResponse(context: TurnContext, status: number, body: unknown): Promise<void> {
    const value: InvokeResponse = { status, body };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
  }

  private async onConversationUpdate(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    if (!botId) return;
    if (activity.membersRemoved?.some((member) => member.id === botId)) {
      this.options.memory.forget(conversationMemoryKey(activity));
      return;
    }
    // Greets once, when the bot itself joins a personal chat, group chat or team; not every new team member.
    if (activity.membersAdded?.some((member) => member.id === botId)) {
      await this.send(context, { type: ActivityTypes.Message, text: welcomeText }).catch(() => undefined);
    }
  }

  /** Sends one activity and records whether Teams accepted it, for /readyz. */
  private async send(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    try {
      await context.sendActivity(activity);
      this.options.delivery.delivered();
    } catch (error) {
      this.options.delivery.failed(error);
      this.options.logger.error({ conversationId: context.activity.conversation?.id, type: activity.type, error: describeError(error) }, 'sending to Teams failed');
      throw error;
    }
  }
}
