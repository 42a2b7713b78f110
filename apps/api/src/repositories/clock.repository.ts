import { Inject, Injectable } from '@nestjs/common';
import { API_DEPS, type ApiDeps } from '../api.deps';

@Injectable()
export class ClockRepository {
  private readonly nowMs: () => number;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.nowMs = deps.now ?? Date.now;
  }

  nowUs(): number {
    return this.nowMs() * 1000;
  }
}
