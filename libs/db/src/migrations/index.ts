import { Foundation1795612300000 } from './1795612300000-foundation';

/** Every migration, oldest first. A new migration is a new timestamped file appended here. */
export const migrations = [Foundation1795612300000];
