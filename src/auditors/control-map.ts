import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ControlNotFound } from './auditors.errors';
import { type Control, type EvidenceSelector, loadControlsFile } from './controls-file.loader';

/** Injection token for the path of policies/controls.yml. */
export const CONTROLS_FILE = Symbol('CONTROLS_FILE');

/**
 * The organisation's control mapping, read once when the module starts. A bad file stops the
 * start with every problem's line and column, as a bad requirements file does.
 */
@Injectable()
export class ControlMap implements OnModuleInit {
  private controls: readonly Control[] | undefined;
  private byIdMap = new Map<string, Control>();

  constructor(@Inject(CONTROLS_FILE) private readonly file: string) {}

  onModuleInit(): void {
    this.controls = loadControlsFile(this.file);
    this.byIdMap = new Map(this.controls.map((c) => [c.id, c]));
  }

  all(): readonly Control[] {
    if (!this.controls) throw new Error('ControlMap used before the module was initialised');
    return this.controls;
  }

  /** The control, or {@link ControlNotFound}. */
  byId(id: string): Control {
    const control = this.byIdMap.get(id);
    if (!control) throw new ControlNotFound();
    return control;
  }

  /** Which records evidence the control: what an export filtered by this control includes. */
  subjectsFor(controlId: string): readonly EvidenceSelector[] {
    return this.byId(controlId).evidence;
  }
}
