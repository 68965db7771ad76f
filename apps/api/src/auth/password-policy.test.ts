import { describe, expect, it } from 'vitest';
import { messages } from '../messages.ts';
import {
  passwordProblems,
  passwordRuleProblems,
  passwordSimilarityProblems,
  quickRatio,
} from './password-policy.ts';

describe('passwordRuleProblems', () => {
  it('accepts a decent password', () => {
    expect(passwordRuleProblems('correct horse battery', 8)).toEqual([]);
    expect(passwordRuleProblems('é'.repeat(36), 8)).toEqual([]); // exactly 72 bytes
  });

  it.each([
    ['Gx7#q', [messages.passwordTooShort(8)]],
    ['a'.repeat(73), [messages.passwordTooLong]],
    ['é'.repeat(37), [messages.passwordTooLong]],
    ['83920175', [messages.passwordNumeric]],
    ['password', [messages.passwordCommon]],
    ['PassWord1', [messages.passwordCommon]],
    ['iloveyou', [messages.passwordCommon]],
    ['123456', [messages.passwordTooShort(8), messages.passwordCommon, messages.passwordNumeric]],
  ])('reports every problem of %j at once', (password, problems) => {
    expect(passwordRuleProblems(password, 8)).toEqual(problems);
  });

  it('counts characters, not UTF-16 units, for the minimum', () => {
    expect(passwordRuleProblems('😀😀😀😀😀😀😀😀', 8)).toEqual([]);
    expect(passwordRuleProblems('😀😀😀😀', 5)).toEqual([messages.passwordTooShort(5)]);
  });

  it('takes the minimum length from configuration', () => {
    expect(passwordRuleProblems('correct horse', 20)).toEqual([messages.passwordTooShort(20)]);
  });
});

describe('passwordSimilarityProblems', () => {
  it.each([
    ['testclient', { username: 'testclient' }, ['username']],
    ['TestClient1', { username: 'testclient' }, ['username']],
    ['clienttest', { username: 'testclient' }, ['username']],
    [
      'margaret.smith',
      { username: 'msmith', email: 'margaret.smith@example.com' },
      ['email address'],
    ],
    ['Smith12', { username: 'x', email: 'margaret.smith@example.com' }, ['email address']],
    ['smithereens!', { username: 'x', email: 'margaret.smith@example.com' }, []],
    ['correct horse battery', { username: 'alice', email: 'alice@example.com' }, []],
    // A long password is not "similar" to a very short username (Django skips such pairs).
    ['abcdefghijklmnopqrstuvwxyzab', { username: 'ab' }, []],
  ])('%j against %j', (password, user, similarTo) => {
    expect(passwordSimilarityProblems(password, user)).toEqual(
      similarTo.map((name) => messages.passwordSimilar(name)),
    );
  });
});

describe('passwordProblems', () => {
  it("reports in the order of Django's validators: similarity, length, common, numeric", () => {
    // As the contract's row for username 123, password 123 ("123" is not in our common list).
    expect(passwordProblems('12345', 8, { username: '12345' })).toEqual([
      messages.passwordSimilar('username'),
      messages.passwordTooShort(8),
      messages.passwordCommon,
      messages.passwordNumeric,
    ]);
  });
});

describe('quickRatio', () => {
  it('matches Python difflib', () => {
    // difflib.SequenceMatcher(a='abcd', b='bcde').quick_ratio() == 0.75
    expect(quickRatio('abcd', 'bcde')).toBe(0.75);
    expect(quickRatio('abc', 'abc')).toBe(1);
    expect(quickRatio('abc', 'xyz')).toBe(0);
    expect(quickRatio('aab', 'abb')).toBeCloseTo(2 / 3);
  });
});
