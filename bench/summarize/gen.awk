# gen.awk - a deterministic podcast-like transcript for the summarizer bench.
#   awk -v words=10000 -v punct=1 -f gen.awk
# punct=1 gives punctuated, capitalised sentences (a published transcript);
# punct=0 gives lower-case text without punctuation in lines of varying
# length (speech-recognizer output).  Sponsor reads mention "zorblax", a
# word that appears nowhere else, so the bench can check they are dropped.
function rnd(n) { seed = (seed * 16807) % 2147483647; return int(seed / 2147483647 * n) }
function pick(list,   a, n) { n = split(list, a, "|"); return a[rnd(n) + 1] }
function out(s,   w) {
	if (!punct) { s = tolower(s); gsub(/[.,?!]/, "", s) }
	printf "%s", s
	w = split(s, tmp, " ")
	count += w
	if (!punct && rnd(10) < 7) printf "\n"; else printf " "
}
function sentence(t,   s) {
	s = pick(subj[t]) " " pick(verb[t]) " " pick(obj[t])
	if (rnd(3) == 0) s = s ", " pick(tail[t])
	if (rnd(5) == 0) s = pick("so|and then|but|now|well|actually") " " s
	if (rnd(7) == 0) s = "um " s
	if (punct && rnd(9) == 0) s = s ", you know, " pick(tail[t])
	if (rnd(11) == 0) s = "the the " s
	return toupper(substr(s, 1, 1)) substr(s, 2) pick(".|.|.|?|!")
}
function sponsor() {
	out("This episode is brought to you by Zorblax.")
	out("Zorblax makes project tracking painless for small teams.")
	out("Go to zorblax dot com slash pod and use code POD for twenty percent off.")
	if (!punct) printf "\n"
}
BEGIN {
	seed = 42
	subj[0] = "the compiler|our parser|the type checker|a good optimizer|the register allocator|every backend"
	verb[0] = "rewrites|lowers|inlines|checks|schedules|analyzes"
	obj[0] = "the intermediate representation|hot loops across modules|generic functions early|the control flow graph|memory accesses in tight loops|error messages for beginners"
	tail[0] = "which makes builds faster|because debugging gets easier|even on small machines|before code generation starts"
	subj[1] = "deep sleep|the circadian clock|a short nap|melatonin|caffeine late in the day|shift work"
	verb[1] = "restores|disrupts|regulates|shortens|protects|delays"
	obj[1] = "memory consolidation at night|the immune system|mood and attention|the release of growth hormone|reaction times in drivers|learning in teenagers"
	tail[1] = "according to recent sleep studies|especially in older adults|which surprised the researchers|if the bedroom stays dark"
	subj[2] = "early stage startups|venture investors|a seed round|the founding team|recurring revenue|a small sales team"
	verb[2] = "needs|rewards|shapes|drives|limits|funds"
	obj[2] = "product market fit|hiring decisions in the first year|pricing experiments|the next funding round|customer churn|growth in new markets"
	tail[2] = "when interest rates rise|as the market cools|long before profitability|in most software companies"
	subj[3] = "jazz musicians|the saxophone|bebop|a rhythm section|recording studios|radio stations"
	verb[3] = "transformed|popularized|shaped|carried|reinvented|spread"
	obj[3] = "improvisation in the forties|dance halls across the country|the sound of modern pop|harmony and rhythm|live recordings|new audiences abroad"
	tail[3] = "long before rock and roll|in the clubs of new york|with very little money|despite the record labels"
	out("Welcome to the show, everyone.")
	out("Thanks for joining us today.")
	while (count < words) {
		t = rnd(4)
		for (k = 0; k < 8 + rnd(8) && count < words; k++)
			out(sentence(t))
		if (punct) printf "\n\n"
		if (count - last_sponsor > 2500) { sponsor(); last_sponsor = count }
	}
	out("That's all for today, thanks for listening and please subscribe.")
	printf "\n"
}
