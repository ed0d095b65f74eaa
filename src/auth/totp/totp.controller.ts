import { Body, Controller, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../../access/access.decorators';
import { CurrentPrincipal } from '../../access/current-principal.decorator';
import { Permission } from '../../access/permission';
import type { Principal } from '../../access/principal';
import { AuthThrottlerGuard } from '../auth-throttler.guard';
import { type TotpPage, TotpStepUpService } from './totp-step-up.service';

interface CodeForm {
  code?: unknown;
  recoveryCode?: unknown;
}

const asCode = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 64) : '');

function respond(res: Response, page: TotpPage): void {
  if ('redirect' in page) return res.redirect(303, page.redirect);
  res.render(page.view, page.model);
}

/** Admin step-up: enrol an authenticator, then verify a code in each session. */
@Controller('auth/totp')
@UseGuards(AuthThrottlerGuard)
export class TotpController {
  constructor(private readonly stepUp: TotpStepUpService) {}

  @RequirePermission(Permission.TotpManage)
  @Get()
  async show(@CurrentPrincipal() actor: Principal, @Res() res: Response): Promise<void> {
    respond(res, await this.stepUp.page(actor));
  }

  @RequirePermission(Permission.TotpManage)
  @Post('enrol')
  @HttpCode(200)
  async enrol(
    @CurrentPrincipal() actor: Principal,
    @Body() form: CodeForm,
    @Res() res: Response,
  ): Promise<void> {
    respond(res, await this.stepUp.enrol(actor, asCode(form.code)));
  }

  @RequirePermission(Permission.TotpManage)
  @Post('verify')
  @HttpCode(200)
  async verify(
    @CurrentPrincipal() actor: Principal,
    @Body() form: CodeForm,
    @Res() res: Response,
  ): Promise<void> {
    respond(res, await this.stepUp.verify(actor, asCode(form.code)));
  }

  @RequirePermission(Permission.TotpManage)
  @Post('recover')
  @HttpCode(200)
  async recover(
    @CurrentPrincipal() actor: Principal,
    @Body() form: CodeForm,
    @Res() res: Response,
  ): Promise<void> {
    respond(res, await this.stepUp.recover(actor, asCode(form.recoveryCode)));
  }

  @RequirePermission(Permission.TotpManage)
  @Post('recovery-codes')
  @HttpCode(200)
  async replaceRecoveryCodes(
    @CurrentPrincipal() actor: Principal,
    @Res() res: Response,
  ): Promise<void> {
    respond(res, await this.stepUp.replaceRecoveryCodes(actor));
  }
}
