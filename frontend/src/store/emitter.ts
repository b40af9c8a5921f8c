/** Listeners called at most once per animation frame with everything that changed since. */
export class FrameEmitter<K> {
  private readonly listeners = new Set<(changed: ReadonlySet<K>) => void>();
  private changed = new Set<K>();
  private scheduled = false;

  listen(listener: (changed: ReadonlySet<K>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  mark(key: K): void {
    this.changed.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const changed = this.changed;
    this.changed = new Set();
    for (const listener of this.listeners) listener(changed);
  }
}
