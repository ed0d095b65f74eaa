import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';

interface AuditorTask {
  title: string;
  href: string;
  description: string;
}

export interface AuditorsHomeView {
  title: string;
  tasks: AuditorTask[];
}

/** Each piece of an auditor's work, with the permission its page declares. */
const TASKS: readonly (AuditorTask & { permission: Permission })[] = [
  {
    title: 'Populations',
    href: '/auditors/populations',
    permission: Permission.PersonRead,
    description:
      'Who joined, who left and who was active in your audit period, as lists and CSV files to test personnel controls against.',
  },
  {
    title: 'Samples',
    href: '/auditors/populations#samples-title',
    permission: Permission.PersonRead,
    description:
      'A random sample of a population, drawn with a recorded seed so anyone can draw it again; each sampled person opens their evidence.',
  },
  {
    title: 'Evidence by control',
    href: '/auditors/controls',
    permission: Permission.RequirementRead,
    description:
      'For each SOC 2 and ISO/IEC 27001 control, which requirements evidence it and how many are done, open, overdue or waived.',
  },
  {
    title: 'Exports',
    href: '/exports',
    permission: Permission.ExportCreate,
    description:
      'A ZIP of sealed attestation PDFs with a signed manifest, for a period, population or control, to keep with your working papers.',
  },
  {
    title: 'Audit log',
    href: '/audit',
    permission: Permission.AuditRead,
    description:
      'Every action recorded in Attest, who did it and to whom, in a hash chain that shows whether anything was changed.',
  },
];

/** Where an auditor's work starts: each task with a sentence on what it is. */
@ApiExcludeController()
@Controller('auditors')
export class AuditorsHomeController {
  @RequirePermission(Permission.PersonRead)
  @Get()
  @Render('auditors/index')
  home(@CurrentPrincipal() actor: Principal): AuditorsHomeView {
    return {
      title: 'Auditors',
      tasks: TASKS.filter((t) => actor.permissions.has(t.permission)).map(
        ({ title, href, description }) => ({ title, href, description }),
      ),
    };
  }
}
