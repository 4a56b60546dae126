/**
 * A message for people in both languages, the one way Xuncha writes them: the Chinese sentence, then the
 * English one (`请先登录。 / Sign in first …`), so a reader of either finds theirs. In the contract so the
 * schemas' own messages (and the page, where it checks input the same way) write them alike.
 */
export function bilingual(zh: string, en: string): string {
  return `${zh} / ${en}`;
}
