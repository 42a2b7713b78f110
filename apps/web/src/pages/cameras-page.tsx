export function CamerasPage(_props: Record<string, unknown>) {
  return (
    <section>
      <h1>Cameras</h1>
    </section>
  );
}
