import { describe, expect, it } from 'vitest';
import { feedbackClick, feedbackVerb } from './feedback-action.js';

const execute = (verb: string, data: unknown) => ({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });

describe('feedbackClick', () => {
  it('reads an Action.Execute invoke and an Action.Submit message', () => {
    expect(feedbackClick(execute(feedbackVerb, { docentFeedback: 'up', answerId: 'a-1' }))).toEqual({ answerId: 'a-1', rating: 'up' });
    expect(feedbackClick({ type: 'message', value: { docentFeedback: 'down', answerId: 'a-2' } })).toEqual({ answerId: 'a-2', rating: 'down' });
  });

  it('tells other activities from feedback that is not from our card', () => {
    expect(feedbackClick(execute('other.verb', {}))).toBeUndefined();
    expect(feedbackClick({ type: 'message', text: 'hello' })).toBeUndefined();
    expect(feedbackClick({ type: 'invoke', name: 'task/fetch', value: {} })).toBeUndefined();
    expect(feedbackClick(execute(feedbackVerb, { docentFeedback: 'up', answerId: 'x'.repeat(201) }))).toBe('invalid');
    expect(feedbackClick(execute(feedbackVerb, { docentFeedback: 'sideways', answerId: 'a-1' }))).toBe('invalid');
    expect(feedbackClick({ type: 'message', value: { docentFeedback: 'up' } })).toBe('invalid');
  });
});
