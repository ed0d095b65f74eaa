import { Controller, Get, Render } from '@nestjs/common';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { type MeView, MeService } from './me.service';

@Controller('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  /** The signed-in person's home page. */
  @RequirePermission(Permission.SelfRead)
  @Get()
  @Render('me/index')
  show(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    return this.me.home(principal);
  }
}
