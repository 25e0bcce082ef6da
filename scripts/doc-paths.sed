# The manual pages and zbk.toml.sample say /usr/local, FreeBSD's PREFIX and LOCALBASE.
# This turns each /usr/local into %%LOCALBASE%% where it names other packages' programs
# (the openzfs port's zfs, the directories where the rsync port lives) and into
# %%PREFIX%% everywhere else, for scripts/install.sh and the port to fill in:
#   sed -f scripts/doc-paths.sed -e 's|%%PREFIX%%|...|g' -e 's|%%LOCALBASE%%|...|g'
s|/usr/local/sbin/zfs|%%LOCALBASE%%/sbin/zfs|g
s|^\(\.Pa \)/usr/local\(/s\{0,1\}bin\)\( ,\)\{0,1\}$|\1%%LOCALBASE%%\2\3|
s|/usr/local|%%PREFIX%%|g
