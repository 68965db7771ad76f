import { type ReactNode, useId } from 'react';

/** A titled card on the settings page; a landmark region named by its title. */
export function SettingsSection({
  title,
  description,
  tone,
  children,
}: {
  title: string;
  description?: ReactNode;
  tone?: 'danger';
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className={`card wide settings-section ${tone ?? ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {description ? <p className="section-description">{description}</p> : null}
      {children}
    </section>
  );
}
