import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dueIn, humanDate, plural } from '../common/labels';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotificationKind } from './notification-kind';
import type { PlannedItem } from './notification-planner';

const MAIL_VIEWS = join(__dirname, '..', '..', 'views', 'mail');

/** An escalation lists this many people; the rest are counted and linked. */
export const ESCALATION_LIST_LIMIT = 50;

export interface DigestSection {
  readonly heading: string;
  readonly lines: readonly { readonly text: string; readonly path?: string }[];
  /** Said when there are no lines. */
  readonly empty: string;
  /** "…and 12 more", when the list was cut. */
  readonly more?: string | null;
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Titles of documents and training modules by id; checks are named by their type. */
export type TitleOf = (kind: string, subject: string) => string;

/** What a document's latest version changed: said when a person is asked to sign it again. */
export type ChangesOf = (documentId: string) => { version: string; changes: string } | undefined;

/** How mail names what it lists. */
export interface Subjects {
  readonly titleOf: TitleOf;
  readonly changesOf: ChangesOf;
}

type Template = (context: object) => string;

const NAME_ORDER = new Intl.Collator('en');

/**
 * Renders messages from the Handlebars templates in views/mail/: a plain-text and an HTML part
 * of the same words. Links go through sign-in (/auth/saml/login?returnTo=…): no link carries a
 * token, so a forwarded mail signs nobody in.
 */
@Injectable()
export class MailRenderer {
  private readonly engine = Handlebars.create();
  private readonly templates = new Map<string, { text: Template; html: Template }>();
  private readonly grouped = new WeakMap<
    readonly PlannedItem[],
    { personId: string; name: string; own: PlannedItem[] }[]
  >();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `/documents/nda` → the sign-in URL that lands there. */
  signInLink(path: string): string {
    const login = this.config.oidc ? '/auth/oidc/login' : '/auth/saml/login';
    return `${this.config.publicUrl}${login}?returnTo=${encodeURIComponent(path)}`;
  }

  /** A person's own mail: their new work and the reminders now due. */
  tasks(
    kind: NotificationKind,
    name: string | null,
    items: readonly PlannedItem[],
    { titleOf, changesOf }: Subjects,
    today: string,
  ): RenderedMail {
    const listed = items
      .filter((item) => !item.hidden)
      .map((item) => ({ item, title: titleOf(item.kind, item.subject) }))
      .sort(
        (a, b) => a.item.dueDate.localeCompare(b.item.dueDate) || a.title.localeCompare(b.title),
      )
      .map(({ item }) => item);
    const line = (item: PlannedItem) => ({
      title: titleOf(item.kind, item.subject),
      due: this.dueWords(item.dueDate, today),
      link: this.signInLink(taskPath(item.kind, item.subject)),
      // A later cycle of a document is a new version to sign again: say what changed.
      changed:
        item.kind === 'document' && item.cycle > 0 ? changeWords(changesOf(item.subject)) : null,
    });
    // New work that is already late (a start date entered after the fact) is not news: it is
    // listed, and counted, with what is still to do.
    const isNew = (item: PlannedItem) => item.step === 'assigned' && item.daysOverdue <= 0;
    const fresh = listed.filter(isNew).map(line);
    const reminders = listed.filter((item) => !isNew(item)).map(line);
    const overdue = listed.filter((item) => item.daysOverdue > 0).length;
    const org = this.config.organisationName;
    const subject =
      reminders.length === 0
        ? `You have ${plural(fresh.length, 'new security task')} to complete`
        : overdue > 0
          ? `Reminder: ${plural(overdue, 'security task')} overdue`
          : `Reminder: ${plural(listed.length, 'security task')} due soon`;
    const intro =
      kind === NotificationKind.ManualReminder
        ? `HR at ${org} asked us to remind you of the security tasks you have still to do.`
        : reminders.length === 0
          ? `${org} asks you to complete the following. It takes a few minutes each.`
          : `This is a reminder from ${org} about security tasks you have still to do.`;
    return this.render('tasks', subject, {
      name: name ?? 'there',
      intro,
      fresh,
      reminders,
      tasksLink: this.signInLink('/me'),
      organisation: org,
      footer: `Sent automatically by Attest for ${org}. Reminders about required tasks cannot be turned off; they stop once the task is done.`,
    });
  }

  /** To a manager or HR: the overdue work of several people, one section each. */
  escalation(
    kind: NotificationKind.ManagerEscalation | NotificationKind.HrEscalation,
    name: string | null,
    items: readonly PlannedItem[],
    nameOf: (personId: string) => string,
    titleOf: TitleOf,
    today: string,
  ): RenderedMail {
    const everyone = this.byPerson(items, nameOf);
    const people = everyone.slice(0, ESCALATION_LIST_LIMIT).map(({ personId, name, own }) => ({
      name,
      // HR may open the person page; a manager may not, so their mail names people only.
      link: kind === NotificationKind.HrEscalation ? this.signInLink(`/people/${personId}`) : null,
      items: own.map((item) => ({
        title: titleOf(item.kind, item.subject),
        due: this.dueWords(item.dueDate, today),
      })),
    }));
    const org = this.config.organisationName;
    const count = plural(everyone.length, 'person', 'people');
    const subject =
      kind === NotificationKind.ManagerEscalation
        ? `${plural(everyone.length, 'report')} overdue on security tasks`
        : `Escalation: ${count} overdue on security tasks`;
    const intro =
      kind === NotificationKind.ManagerEscalation
        ? `${everyone.length === 1 ? 'One of your reports has' : `${everyone.length} of your reports have`} required security tasks well past their due date, and reminders have not been enough. Please ask them to complete these.`
        : `${count} at ${org} ${everyone.length === 1 ? 'has' : 'have'} required security tasks long overdue, past the point where their manager was told.`;
    return this.render('escalation', subject, {
      name,
      intro,
      people,
      more: everyone.length - people.length,
      overdueLink: this.signInLink('/onboarding/overdue'),
      footer: `Sent automatically by Attest for ${org}.`,
    });
  }

  /** A weekly digest: sections of lines, each optionally linked (through sign-in). */
  digest(
    subject: string,
    name: string | null,
    intro: string,
    sections: readonly DigestSection[],
  ): RenderedMail {
    const org = this.config.organisationName;
    return this.render('digest', subject, {
      name,
      intro,
      sections: sections.map((section) => ({
        heading: section.heading,
        empty: section.empty,
        more: section.more ?? null,
        lines: section.lines.map((line) => ({
          text: line.text,
          link: line.path ? this.signInLink(line.path) : null,
        })),
      })),
      footer: `Sent automatically by Attest for ${org}, once a week.`,
      unsubscribe:
        'This digest is optional: reply to this message to stop receiving it, or ask an administrator to turn it off in policies/requirements.yml.',
    });
  }

  /**
   * An escalation's items by person, sorted by name. Every HR recipient gets the same bundle,
   * so it is grouped and sorted once per bundle, not once per recipient.
   */
  private byPerson(
    items: readonly PlannedItem[],
    nameOf: (personId: string) => string,
  ): { personId: string; name: string; own: PlannedItem[] }[] {
    const cached = this.grouped.get(items);
    if (cached) return cached;
    const groups = new Map<string, PlannedItem[]>();
    for (const item of items) {
      const own = groups.get(item.personId);
      if (own) own.push(item);
      else groups.set(item.personId, [item]);
    }
    const everyone = [...groups.entries()]
      .map(([personId, own]) => ({ personId, name: nameOf(personId), own }))
      .sort((a, b) => NAME_ORDER.compare(a.name, b.name));
    this.grouped.set(items, everyone);
    return everyone;
  }

  private dueWords(dueDate: string, today: string): string {
    return `${dueIn(dueDate, today)} (${humanDate(dueDate)})`;
  }

  private render(name: string, subject: string, context: object): RenderedMail {
    let template = this.templates.get(name);
    if (!template) {
      const read = (part: string) => readFileSync(join(MAIL_VIEWS, `${name}.${part}.hbs`), 'utf8');
      template = {
        // The text part is not HTML: nothing in it is escaped.
        text: this.engine.compile(read('text'), { noEscape: true, strict: true }),
        html: this.engine.compile(read('html'), { strict: true }),
      };
      this.templates.set(name, template);
    }
    return {
      subject,
      text: template.text(context).replace(/\n{3,}/g, '\n\n'),
      html: template.html(context),
    };
  }
}

/** Where a person does a task; checks have no page of their own. */
export function taskPath(kind: string, subject: string): string {
  if (kind === 'document') return `/documents/${encodeURIComponent(subject)}`;
  if (kind === 'training') return `/training/${encodeURIComponent(subject)}`;
  return '/me';
}

function changeWords(change: ReturnType<ChangesOf>): string | null {
  const summary = change?.changes.replace(/\s+/g, ' ').trim();
  if (!change || !summary) return null;
  return `What changed in version ${change.version}: ${summary.length > 300 ? `${summary.slice(0, 297)}…` : summary}`;
}
