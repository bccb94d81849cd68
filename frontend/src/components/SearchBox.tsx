import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { SuggestionsQuery } from '../lib/operations';

/** Search field with autocomplete (an ARIA combobox): suggestions as you type, arrows + Enter to pick. */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const [prefix, setPrefix] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const navigate = useNavigate();
  const listId = useId();

  useEffect(() => {
    const handle = setTimeout(() => setPrefix(text.trim()), 150);
    return () => clearTimeout(handle);
  }, [text]);

  const [{ data }] = useQuery({ query: SuggestionsQuery, variables: { prefix }, pause: prefix.length < 2 });
  const suggestions = prefix.length >= 2 ? (data?.searchSuggestions ?? []) : [];

  const go = (query: string, slug?: string | null) => {
    setOpen(false);
    setActive(-1);
    if (slug) navigate(`/products/${slug}`);
    else navigate(`/search?q=${encodeURIComponent(query)}`);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = active >= 0 ? suggestions[active] : undefined;
    if (chosen) go(chosen.text, chosen.product?.slug);
    else go(text.trim());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, suggestions.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    }
  };
  const expanded = open && suggestions.length > 0;
  return (
    <form role="search" onSubmit={onSubmit} className="relative w-full max-w-md">
      <label htmlFor={`${listId}-input`} className="sr-only">
        Search products
      </label>
      <input
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        value={text}
        placeholder="Search products"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        className="w-full rounded border border-slate-400 px-3 py-2"
      />
      <ul id={listId} role="listbox" aria-label="Suggestions" hidden={!expanded} className="absolute z-10 mt-1 w-full rounded border border-slate-300 bg-white shadow">
        {suggestions.map((s, i) => (
          <li
            key={`${s.text}-${i}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              go(s.text, s.product?.slug);
            }}
            className={`cursor-pointer px-3 py-2 ${i === active ? 'bg-blue-100' : ''}`}
          >
            {s.text}
          </li>
        ))}
      </ul>
    </form>
  );
}
