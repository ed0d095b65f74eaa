#!/usr/bin/env node
import 'reflect-metadata';
import { loadConfig } from '../config/config.loader';
import { runCli } from './attest.cli';
import { processIo } from './cli-io';

void runCli(process.argv.slice(2), () => loadConfig(), processIo).then((code) => {
  process.exitCode = code;
});
