import type { AppConfig } from '../config/app-config';
import { AttestMetrics } from './attest-metrics';

const config = (metricsToken?: string) => ({ secrets: { metricsToken } }) as AppConfig;

describe(AttestMetrics.name, () => {
  it('reads each watched queue at scrape time', async () => {
    const metrics = new AttestMetrics(config());
    let size = 2;
    metrics.watchQueue('exports', () => size);
    expect((await metrics.scrape()).body).toMatch(/^attest_queue_size\{queue="exports"\} 2$/m);
    size = 0;
    expect((await metrics.scrape()).body).toMatch(/^attest_queue_size\{queue="exports"\} 0$/m);
  });

  it('still answers when a queue cannot be read, leaving that queue out', async () => {
    const metrics = new AttestMetrics(config());
    metrics.watchQueue('exports', () => Promise.reject(new Error('database down')));
    metrics.watchQueue('other', () => 1);
    metrics.signIns.inc({ outcome: 'succeeded' });

    const { body } = await metrics.scrape();

    expect(body).not.toContain('queue="exports"');
    expect(body).toMatch(/^attest_queue_size\{queue="other"\} 1$/m);
    expect(body).toMatch(/^attest_sign_ins_total\{outcome="succeeded"\} 1$/m);
  });

  it('collects the process figures only where a token lets something scrape them', async () => {
    expect((await new AttestMetrics(config()).scrape()).body).not.toContain('attest_process_');
    expect((await new AttestMetrics(config('t'.repeat(32))).scrape()).body).toMatch(
      /^attest_process_cpu_seconds_total /m,
    );
  });
});
