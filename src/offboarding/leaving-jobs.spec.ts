import type { AppConfig } from '../config/app-config';
import { LeavingJobs } from './leaving-jobs';
import type { LeavingService } from './leaving.service';

describe(LeavingJobs.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function jobs(background: boolean) {
    const leavePastEndDate = jest.fn().mockResolvedValue(['p1']);
    const config = { mail: { background } } as unknown as AppConfig;
    const sut = new LeavingJobs({ leavePastEndDate } as unknown as LeavingService, config);
    return { sut, leavePastEndDate };
  }

  it('ends the access of past leavers soon after start, then every hour', async () => {
    const { sut, leavePastEndDate } = jobs(true);
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    expect(leavePastEndDate).toHaveBeenCalledTimes(1);
    expect(leavePastEndDate).toHaveBeenCalledWith('system');
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(leavePastEndDate).toHaveBeenCalledTimes(2);
    await sut.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(leavePastEndDate).toHaveBeenCalledTimes(2);
  });

  it('does nothing on an instance without background work (tests, NOTIFICATIONS=off)', async () => {
    const { sut, leavePastEndDate } = jobs(false);
    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3 * 60 * 60_000);
    expect(leavePastEndDate).not.toHaveBeenCalled();
  });
});
