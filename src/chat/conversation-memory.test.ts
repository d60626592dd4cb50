import { describe, expect, it } from 'vitest';
import { ConversationMemory } from './conversation-memory.js';

describe('ConversationMemory', () => {
  it('keeps the last turns of each conversation, oldest first', () => {
    const memory = new ConversationMemory({ maxTurns: 2 });
    memory.remember('a', { question: 'q1', answer: 'a1' });
    memory.remember('a', { question: 'q2', answer: 'a2' });
    memory.remember('a', { question: 'q3', answer: 'a3' });
    memory.remember('b', { question: 'other', answer: 'x' });
    expect(memory.history('a')).toEqual([
      { question: 'q2', answer: 'a2' },
      { question: 'q3', answer: 'a3' },
    ]);
    expect(memory.history('unknown')).toEqual([]);
  });

  it('forgets the least recently used conversation beyond its capacity', () => {
    const memory = new ConversationMemory({ maxConversations: 2 });
    memory.remember('a', { question: 'qa', answer: 'aa' });
    memory.remember('b', { question: 'qb', answer: 'ab' });
    memory.history('a'); // a is now the most recently used
    memory.remember('c', { question: 'qc', answer: 'ac' });
    expect(memory.size).toBe(2);
    expect(memory.history('b')).toEqual([]);
    expect(memory.history('a')).toHaveLength(1);
    expect(memory.history('c')).toHaveLength(1);
  });

  it('forgets conversations left alone for the expiry time', () => {
    let now = 1_000;
    const memory = new ConversationMemory({ expireAfterMs: 100, now: () => now });
    memory.remember('a', { question: 'q', answer: 'a' });
    now += 99;
    expect(memory.history('a')).toHaveLength(1);
    now += 100;
    expect(memory.history('a')).toEqual([]);
    expect(memory.size).toBe(0);
  });

  it('hands out copies, so callers cannot change what is remembered', () => {
    const memory = new ConversationMemory();
    memory.remember('a', { question: 'q', answer: 'a' });
    const history = memory.history('a');
    history.push({ question: 'injected', answer: 'x' });
    if (history[0]) history[0].answer = 'changed';
    expect(memory.history('a')).toEqual([{ question: 'q', answer: 'a' }]);
  });
});
