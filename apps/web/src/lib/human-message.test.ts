import { describe, expect, it } from 'vitest';
import { humanMessage } from './human-message.ts';

// The strings people see, pinned: a change here is a change of the app's voice.
describe('humanMessage', () => {
  it.each([
    ['This field may not be blank.', 'username', 'Enter a username.'],
    ['This field is required.', 'currentPassword', 'Enter your current password.'],
    ['This field may not be blank.', 'somethingElse', 'Fill this in.'],
    ['Ensure this field has at least 3 characters.', 'username', 'Use at least 3 characters.'],
    [
      'Ensure this field has no more than 150 characters.',
      'username',
      'Use at most 150 characters.',
    ],
    [
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      'username',
      'Use only letters, digits and @ . + - _ (no spaces).',
    ],
    [
      'This password is too short. It must contain at least 10 characters.',
      'password',
      'Use at least 10 characters.',
    ],
    [
      'The password is too similar to the username.',
      'password',
      'This password is too much like your username.',
    ],
    [
      'This password is too common.',
      'password',
      'This password is one of the most common: choose another.',
    ],
    ['This password is entirely numeric.', 'password', 'Use more than digits.'],
    [
      'Unable to log in with provided credentials.',
      undefined,
      'That username and password do not match. Check both and try again.',
    ],
    ['Invalid password.', 'currentPassword', 'That is not your current password.'],
    [
      'A user with that username already exists.',
      'username',
      'That username is taken. Try another.',
    ],
  ])('%s (%s) reads: %s', (api, field, human) => {
    expect(humanMessage(api, field)).toBe(human);
  });

  it('passes on what is already written for people', () => {
    expect(humanMessage('Too many attempts. Try again in 15 minutes.')).toBe(
      'Too many attempts. Try again in 15 minutes.',
    );
    expect(humanMessage('Enter a valid email address.', 'email')).toBe(
      'Enter a valid email address.',
    );
  });
});
