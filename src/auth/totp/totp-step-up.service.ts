import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../../access/principal';
import { AuditService } from '../../audit/audit.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PeopleService } from '../../people/people.service';
import { SessionsService } from '../sessions/sessions.service';
import { TotpAlreadyEnrolled, TotpCodeInvalid, TotpEnrolmentNotStarted } from './totp.errors';
import { navigationFor } from '../../access/navigation';
import { permissionsFor } from '../../access/role-permissions';
import { RECOVERY_CODES_FILE_NAME, recoveryCodesDataUrl } from './recovery-codes-file';
import { TotpService } from './totp.service';

export type TotpPage =
  | { view: 'auth/totp-enrol'; model: Record<string, unknown> }
  | { view: 'auth/totp-verify'; model: Record<string, unknown> }
  | { view: 'auth/totp-recovery-codes'; model: Record<string, unknown> }
  | { redirect: string };

/** TOTP as the admin's second step: enrol once, then verify in every session. */
@Injectable()
export class TotpStepUpService {
  constructor(
    private readonly totp: TotpService,
    private readonly sessions: SessionsService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async page(actor: Principal, error?: string): Promise<TotpPage> {
    if (actor.totpVerified) return { redirect: '/admin' };
    if (await this.totp.isEnrolled(actor.personId)) {
      return { view: 'auth/totp-verify', model: this.model(actor, { error }) };
    }
    const label = await this.accountLabel(actor);
    const issuer = `Attest (${this.config.organisationName})`;
    const enrolment = await this.totp
      .resumeEnrolment(actor.personId, label, issuer)
      .catch((e: unknown) => {
        if (e instanceof TotpEnrolmentNotStarted) {
          return this.totp.startEnrolment(actor.personId, label, issuer);
        }
        throw e;
      });
    return { view: 'auth/totp-enrol', model: this.model(actor, { ...enrolment, error }) };
  }

  async enrol(actor: Principal, code: string): Promise<TotpPage> {
    try {
      const recoveryCodes = await this.totp.confirmEnrolment(actor.personId, code);
      await this.stepUp(actor, 'totp.enrolled');
      // The header was drawn for the session before this step-up; the codes page is the first
      // after it, so it shows the administration the session now opens.
      const steppedUp = {
        ...actor,
        totpVerified: true,
        permissions: permissionsFor(actor.roles, true),
      };
      return {
        view: 'auth/totp-recovery-codes',
        model: this.model(actor, {
          ...this.codesModel(recoveryCodes),
          navigation: navigationFor(steppedUp, '/auth/totp'),
        }),
      };
    } catch (error) {
      if (error instanceof TotpCodeInvalid) {
        await this.failed(actor, 'enrol');
        return this.page(actor, 'That code did not match. Enter the current code from your app.');
      }
      if (error instanceof TotpAlreadyEnrolled) return this.page(actor);
      throw error;
    }
  }

  async verify(actor: Principal, code: string): Promise<TotpPage> {
    if (await this.totp.verify(actor.personId, code)) {
      await this.stepUp(actor, 'totp.verified');
      return { redirect: '/admin' };
    }
    await this.failed(actor, 'verify');
    return this.page(actor, 'That code was not accepted. Wait for the next code and try again.');
  }

  async recover(actor: Principal, code: string): Promise<TotpPage> {
    if (await this.totp.useRecoveryCode(actor.personId, code)) {
      await this.stepUp(actor, 'totp.recovery_code_used');
      return { redirect: '/admin' };
    }
    await this.failed(actor, 'recovery_code');
    const page = await this.page(actor);
    if ('model' in page) page.model.recoveryError = 'That recovery code is not valid or was used.';
    return page;
  }

  /** Only in a session that has passed the second step: the codes stand in for it. */
  async replaceRecoveryCodes(actor: Principal): Promise<TotpPage> {
    if (!actor.totpVerified) return { redirect: '/auth/totp' };
    const recoveryCodes = await this.totp.replaceRecoveryCodes(actor.personId);
    await this.audit.record({
      action: 'totp.recovery_codes_replaced',
      actorId: actor.personId,
      subjectType: 'person',
      subjectId: actor.personId,
    });
    return {
      view: 'auth/totp-recovery-codes',
      model: this.model(actor, { ...this.codesModel(recoveryCodes), replaced: true }),
    };
  }

  private async stepUp(actor: Principal, action: string): Promise<void> {
    await this.sessions.markTotpVerified(actor.sessionId);
    await this.audit.record({
      action,
      actorId: actor.personId,
      subjectType: 'session',
      subjectId: actor.sessionId,
    });
  }

  private failed(actor: Principal, step: string): Promise<unknown> {
    return this.audit.record({ action: 'totp.failed', actorId: actor.personId, details: { step } });
  }

  private async accountLabel(actor: Principal): Promise<string> {
    const person = await this.people.findById(actor.personId);
    if (!person) throw new NotFoundException();
    return person.email;
  }

  /** The codes, and the same as a text file to download in one action. */
  private codesModel(recoveryCodes: readonly string[]): Record<string, unknown> {
    return {
      recoveryCodes,
      recoveryCodesFile: recoveryCodesDataUrl(recoveryCodes, new Date()),
      recoveryCodesFileName: RECOVERY_CODES_FILE_NAME,
    };
  }

  private model(actor: Principal, extra: Record<string, unknown>): Record<string, unknown> {
    return { title: 'Authenticator', csrfToken: actor.csrfToken, ...extra };
  }
}
