import { join } from 'node:path';
import type { YamlFileProblem } from '../common/yaml/yaml-file.errors';
import {
  loadYamlFile,
  type Locate,
  parseYamlFile,
  type YamlFileKind,
} from '../common/yaml/yaml-file.loader';
import type { RequirementKind } from '../requirements/requirement-rule';
import { ControlsFileInvalid } from './auditors.errors';
import { type ControlsFileContent, controlsFileSchema } from './controls-file.schema';

export const CONTROLS_FILE_NAME = 'controls.yml';

/** The checkout's own mapping, as shipped. */
export const DEFAULT_CONTROLS_FILE = join(__dirname, '..', '..', 'policies', CONTROLS_FILE_NAME);

/** Which records evidence a control: completions and assignments of this kind and subject. */
export interface EvidenceSelector {
  readonly kind: RequirementKind;
  readonly subject: string;
}

/** One control of a framework, as policies/controls.yml maps it. */
export interface Control {
  readonly id: string;
  readonly framework: string;
  readonly title: string;
  readonly description: string;
  readonly evidence: readonly EvidenceSelector[];
}

const controlsFile: YamlFileKind<typeof controlsFileSchema, readonly Control[]> = {
  schema: controlsFileSchema,
  listKey: 'controls',
  unknownKeyHint: 'a control has id, framework, title, description and evidence',
  invalid: ControlsFileInvalid,
  check: duplicates,
  build: (content) =>
    content.controls.map((c) => ({
      id: c.id,
      framework: c.framework,
      title: c.title,
      description: c.description,
      evidence: c.evidence.map((e) => ({ kind: e.kind, subject: e.subject })),
    })),
};

/** Reads and validates the controls file; throws {@link ControlsFileInvalid} naming every line. */
export function loadControlsFile(path: string): readonly Control[] {
  return loadYamlFile(path, controlsFile);
}

/** Parses controls from YAML text. `fileName` only labels the error messages. */
export function parseControlsFile(text: string, fileName: string): readonly Control[] {
  return parseYamlFile(text, fileName, controlsFile);
}

/** A control id used twice, or the same evidence listed twice under one control. */
function duplicates(content: ControlsFileContent, locate: Locate): YamlFileProblem[] {
  const problems: YamlFileProblem[] = [];
  const firstLine = new Map<string, number>();
  content.controls.forEach((control, index) => {
    const position = locate(['controls', index, 'id']);
    const earlier = firstLine.get(control.id);
    if (earlier === undefined) firstLine.set(control.id, position.line);
    else {
      problems.push({
        ...position,
        message: `id "${control.id}" is already used on line ${earlier}; every control needs its own id`,
      });
    }
    const seen = new Set<string>();
    control.evidence.forEach((selector, i) => {
      const key = `${selector.kind}:${selector.subject}`;
      if (seen.has(key)) {
        problems.push({
          ...locate(['controls', index, 'evidence', i]),
          message: `evidence[${i}] repeats ${selector.kind} ${selector.subject}; list it once`,
        });
      }
      seen.add(key);
    });
  });
  return problems;
}
