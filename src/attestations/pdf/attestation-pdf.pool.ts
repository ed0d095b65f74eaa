import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { type AttestationPdfJob, renderForSealing } from './attestation-pdf.job';

interface Pending {
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (error: Error) => void;
}

interface PdfThread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

type Answer = { id: number; pdf: Uint8Array } | { id: number; error: string };

// Under ts-node or Jest this file is TypeScript, and so is the worker beside it.
const TYPESCRIPT = __filename.endsWith('.ts');
const WORKER_FILE = join(__dirname, `attestation-pdf.worker${TYPESCRIPT ? '.ts' : '.js'}`);
const WORKER_ARGS = TYPESCRIPT ? ['-r', 'ts-node/register/transpile-only'] : [];

/**
 * Lays out and saves attestation PDFs on threads of their own (PDF_WORKERS), so that the
 * thread serving every request spends its time on requests. The layout is most of a signature's
 * processor time: on the request thread, each signature made every other request wait for it.
 * With no threads configured it works on the caller's thread. The seal's key never leaves this
 * thread: workers return the PDF with its signature's room empty, and the caller signs it.
 *
 * A thread that fails takes only its own jobs with it: they reject (their transactions roll
 * back, nothing is recorded half-way), and the next job starts a new thread.
 */
@Injectable()
export class AttestationPdfPool implements OnModuleInit, OnModuleDestroy {
  private readonly threads: PdfThread[] = [];
  private nextId = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The PDF of `job`, saved with its signature field empty. */
  render(job: AttestationPdfJob): Promise<Buffer> {
    if (this.config.pdfWorkers === 0) return renderForSealing(job);
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      // A thread with work in hand keeps the process alive until it answers.
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, job });
    });
  }

  /** Threads start with the app, so the first signatures do not wait for one to load. */
  onModuleInit(): void {
    while (this.threads.length < this.config.pdfWorkers) this.start();
  }

  async onModuleDestroy(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  /** The thread with the fewest jobs in hand, starting one while there are fewer than asked. */
  private leastBusy(): PdfThread {
    const idle = this.threads.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.config.pdfWorkers) return this.start();
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(): PdfThread {
    const worker = new Worker(WORKER_FILE, { execArgv: WORKER_ARGS });
    // An idle thread does not keep the process alive.
    worker.unref();
    const thread: PdfThread = { worker, pending: new Map() };
    worker.on('message', (answer: Answer) => {
      const pending = thread.pending.get(answer.id);
      if (!pending) return;
      thread.pending.delete(answer.id);
      if (thread.pending.size === 0) thread.worker.unref();
      if ('error' in answer) pending.reject(new Error(answer.error));
      else
        pending.resolve(
          Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength),
        );
    });
    const fail = (error: Error) => {
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads.splice(index, 1);
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The PDF thread stopped (exit code ${code}).`)));
    this.threads.push(thread);
    return thread;
  }
}
