export function StoragePage(_props: Record<string, unknown>) {
  return (
    <section>
      <h1>Storage</h1>
    </section>
  );
}
