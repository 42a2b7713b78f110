export function ExportsPage(_props: Record<string, unknown>) {
  return (
    <section>
      <h1>Exports</h1>
    </section>
  );
}
