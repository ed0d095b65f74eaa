import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** Adapters every feature may use. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class CommonModule {}
