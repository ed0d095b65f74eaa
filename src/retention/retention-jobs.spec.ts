import { Logger } from '@nestjs/common';
import { InProcessRetentionJobs } from './retention-jobs';
import { RetentionBusy, type RetentionService } from './retention.service';

describe(InProcessRetentionJobs.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  let logged: jest.SpyInstance;

  function build(apply: jest.Mock) {
    const retention = { apply } as unknown as RetentionService;
    const sut = new InProcessRetentionJobs(retention);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    return sut;
  }

  it('applies the policy ten minutes after start, then once a day, as the daily job', async () => {
    const apply = jest.fn().mockResolvedValue({ at: new Date(), lines: [] });
    const sut = build(apply);
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(9 * 60_000);
    expect(apply).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply.mock.calls[0][0]).toMatchObject({ trigger: 'daily job' });
    await jest.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(apply).toHaveBeenCalledTimes(2);
    await sut.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(48 * 60 * 60_000);
    expect(apply).toHaveBeenCalledTimes(2);
  });

  it('skips a day when another run holds the lock, and keeps going after a failure', async () => {
    const apply = jest
      .fn()
      .mockRejectedValueOnce(new RetentionBusy())
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValue({ at: new Date(), lines: [] });
    const sut = build(apply);
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10 * 60_000 + 2 * 24 * 60 * 60_000);
    expect(apply).toHaveBeenCalledTimes(3);
    expect(logged).toHaveBeenCalledTimes(1);
    await sut.onModuleDestroy();
  });
});
