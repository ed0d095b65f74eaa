import { scoreQuiz, unanswered } from './quiz-scoring';

const quiz = {
  passMark: 67,
  questions: ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => ({
    id,
    prompt: id,
    options: ['x', 'y', 'z'],
    answer: i % 3,
  })),
};

describe(scoreQuiz.name, () => {
  it('rounds the score down, so 4 of 6 misses a pass mark of 67', () => {
    const answers = { a: 0, b: 1, c: 2, d: 0, e: 0, f: 0 };
    expect(scoreQuiz(quiz, answers)).toEqual({
      correct: 4,
      total: 6,
      score: 66,
      passed: false,
      wrong: ['e', 'f'],
    });
  });

  it('passes at the mark', () => {
    const answers = { a: 0, b: 1, c: 2, d: 0, e: 1, f: 0 };
    expect(scoreQuiz({ ...quiz, passMark: 83 }, answers)).toMatchObject({
      score: 83,
      passed: true,
    });
  });

  it('lists unanswered questions in quiz order', () => {
    expect(unanswered(quiz, { b: 1, e: 0 })).toEqual(['a', 'c', 'd', 'f']);
  });
});
